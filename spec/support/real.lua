--- Where the real data samples are (see util.shared: LCASE_SHARED, or
-- ../shared beside the checkout or beside the repository of a worktree).
return require("support.util").shared .. "/data/real/"

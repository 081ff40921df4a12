--- lcase.store.schema: the case database schema and its migrations.
-- The schema version is `PRAGMA user_version`. `M.steps[n]` takes a database
-- from version n-1 to version n; adding a migration is appending one entry
-- `{ name = "...", sql = [[...]] }` (and/or `up = function(db) ... end`).
-- Opening an older database runs the missing steps in one transaction;
-- a newer database is refused (error kind "db", exit status 5).
local M = {}

local function DATE(col)
  return "CONSTRAINT " .. col .. "_is_date CHECK " .. require("lcase.base.dates").sql_check(col)
end

--- Enumerated values (public; the case API validates against the same lists).
M.enums = {
  party_kind = { "company", "person", "court", "government", "law_firm", "other" },
  case_kind = { "infringement", "declaratory", "ipr", "itc", "appeal", "other" },
  case_status = { "open", "pending", "stayed", "settled", "dismissed", "decided", "closed",
    "appealed", "unknown" },
  role = { "plaintiff", "defendant", "petitioner", "respondent", "patent_owner",
    "intervenor", "other" },
  event_kind = { "filed", "ruling", "settlement", "acquisition", "statement", "other" },
  source_kind = { "news", "docket", "api", "manual" },
  severity = { "info", "notice", "warning", "alert" },
  run_status = { "running", "ok", "failed" },
  subject_type = { "source", "party", "dispute", "case", "patent", "product", "event",
    "assertion", "docket_entry" },
  -- the kind of a patent document (schema version 4): a grant (utility,
  -- reissue, design, plant, statutory invention registration) or an
  -- application (published, unpublished, provisional, PCT)
  doc_kind = { "grant", "reissue", "design", "plant", "sir", "publication", "application", "provisional",
    "pct" },
}

--- Jurisdictions (public): a case's is an ISO 3166 country code, or one of
-- these codes of courts and offices beyond a country.
M.jurisdiction_codes = { "UPC", "EPO", "EU", "WIPO", "INTL" }

--- How reports spell jurisdictions out ("DE" -> "Germany"); a code not
-- here is shown as it is.
M.jurisdiction_names = {
  US = "United States", DE = "Germany", IN = "India", GB = "United Kingdom", UK = "United Kingdom",
  FR = "France", NL = "Netherlands", IT = "Italy", ES = "Spain", CN = "China", JP = "Japan",
  KR = "South Korea", BR = "Brazil", CA = "Canada", AU = "Australia", CH = "Switzerland",
  UPC = "Unified Patent Court", EPO = "European Patent Office", EU = "European Union",
}

local function enum(col, name, nullable)
  local vals = {}
  for i, v in ipairs(M.enums[name]) do vals[i] = "'" .. v .. "'" end
  local c = col .. " IN (" .. table.concat(vals, ", ") .. ")"
  if nullable then c = col .. " IS NULL OR " .. c end
  return "CONSTRAINT " .. col .. "_is_" .. name .. " CHECK (" .. c .. ")"
end

-- A natural key: 1..200 characters of letters, digits and . _ : / @ + -
local KEY = "TEXT NOT NULL UNIQUE CONSTRAINT key_format CHECK (length(key) BETWEEN 1 AND 200 AND " ..
  "key NOT GLOB '*[^A-Za-z0-9._:/@+-]*')"
local PROV = "source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,\n" ..
  "  locator TEXT"
local COUNTRY = "CONSTRAINT country_is_iso3166 CHECK (country IS NULL OR country GLOB '[A-Z][A-Z]')"
local JURISDICTION = "CONSTRAINT jurisdiction_is_code CHECK (jurisdiction IS NULL OR jurisdiction GLOB '[A-Z][A-Z]' OR " ..
  "jurisdiction IN ('" .. table.concat(M.jurisdiction_codes, "', '") .. "'))"

local function fts(name, tbl, cols)
  local list = table.concat(cols, ", ")
  local new, old = {}, {}
  for i, c in ipairs(cols) do new[i] = "new." .. c; old[i] = "old." .. c end
  return ([[
CREATE VIRTUAL TABLE %s USING fts5(%s, content='%s', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER %s_ai AFTER INSERT ON %s BEGIN
  INSERT INTO %s(rowid, %s) VALUES (new.id, %s);
END;
CREATE TRIGGER %s_ad AFTER DELETE ON %s BEGIN
  INSERT INTO %s(%s, rowid, %s) VALUES ('delete', old.id, %s);
END;
CREATE TRIGGER %s_au AFTER UPDATE ON %s BEGIN
  INSERT INTO %s(%s, rowid, %s) VALUES ('delete', old.id, %s);
  INSERT INTO %s(rowid, %s) VALUES (new.id, %s);
END;
]]):format(name, list, tbl,
    name, tbl, name, list, table.concat(new, ", "),
    name, tbl, name, name, list, table.concat(old, ", "),
    name, tbl, name, name, list, table.concat(old, ", "), name, list, table.concat(new, ", "))
end

-- Built on first use, so opening a current database (lcase sql) stays cheap.
local function v1() return [[
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  key ]] .. KEY .. [[,
  kind TEXT NOT NULL ]] .. enum("kind", "source_kind") .. [[,
  title TEXT,
  url TEXT,
  published TEXT ]] .. DATE("published") .. [[,
  publisher TEXT,
  text TEXT,
  note TEXT
);

CREATE TABLE parties (
  id INTEGER PRIMARY KEY,
  key ]] .. KEY .. [[,
  name TEXT NOT NULL CONSTRAINT name_not_empty CHECK (length(name) > 0),
  kind TEXT NOT NULL DEFAULT 'company' ]] .. enum("kind", "party_kind") .. [[,
  parent_id INTEGER REFERENCES parties(id) ON DELETE SET NULL CONSTRAINT parent_not_self CHECK (parent_id IS NOT id),
  country TEXT ]] .. COUNTRY .. [[,
  description TEXT,
  ]] .. PROV .. [[

);
CREATE INDEX parties_parent ON parties(parent_id);

CREATE TABLE party_aliases (
  party_id INTEGER NOT NULL REFERENCES parties(id) ON DELETE CASCADE,
  alias TEXT NOT NULL CONSTRAINT alias_not_empty CHECK (length(alias) > 0),
  PRIMARY KEY (party_id, alias)
) WITHOUT ROWID;
CREATE INDEX party_aliases_alias ON party_aliases(alias COLLATE NOCASE);

CREATE TABLE disputes (
  id INTEGER PRIMARY KEY,
  key ]] .. KEY .. [[,
  title TEXT NOT NULL CONSTRAINT title_not_empty CHECK (length(title) > 0),
  summary TEXT,
  technology TEXT,
  ]] .. PROV .. [[

);

CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  key ]] .. KEY .. [[,
  dispute_id INTEGER REFERENCES disputes(id) ON DELETE SET NULL,
  title TEXT,
  forum TEXT,
  jurisdiction TEXT ]] .. JURISDICTION .. [[,
  docket TEXT,
  kind TEXT ]] .. enum("kind", "case_kind", true) .. [[,
  filed TEXT ]] .. DATE("filed") .. [[,
  closed TEXT ]] .. DATE("closed") .. [[,
  status TEXT ]] .. enum("status", "case_status", true) .. [[,
  subject TEXT,
  technology TEXT,
  patents_asserted INTEGER CONSTRAINT patents_asserted_is_count CHECK (patents_asserted IS NULL OR
    (typeof(patents_asserted) = 'integer' AND patents_asserted >= 0)),
  responds_to INTEGER REFERENCES cases(id) ON DELETE SET NULL CONSTRAINT responds_to_not_self CHECK (responds_to IS NOT id),
  ]] .. PROV .. [[,
  CONSTRAINT closed_not_before_filed CHECK (closed IS NULL OR filed IS NULL OR
    substr(closed, 1, min(length(closed), length(filed))) >=
    substr(filed, 1, min(length(closed), length(filed))))
);
CREATE INDEX cases_dispute ON cases(dispute_id);
CREATE INDEX cases_filed ON cases(filed);
CREATE INDEX cases_jurisdiction ON cases(jurisdiction);
CREATE INDEX cases_responds_to ON cases(responds_to);

-- A case may answer several cases; cases.responds_to is the first (position 1).
CREATE TABLE case_responds_to (
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  responds_to INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  position INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (case_id, responds_to),
  CONSTRAINT not_self CHECK (case_id <> responds_to)
) WITHOUT ROWID;
CREATE INDEX case_responds_to_target ON case_responds_to(responds_to);

CREATE TABLE case_parties (
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  party_id INTEGER NOT NULL REFERENCES parties(id) ON DELETE CASCADE,
  role TEXT NOT NULL ]] .. enum("role", "role") .. [[,
  ]] .. PROV .. [[,
  PRIMARY KEY (case_id, party_id, role)
) WITHOUT ROWID;
CREATE INDEX case_parties_party ON case_parties(party_id, role);

CREATE TABLE patents (
  id INTEGER PRIMARY KEY,
  key ]] .. KEY .. [[,
  number TEXT,
  office TEXT,
  title TEXT,
  owner_id INTEGER REFERENCES parties(id) ON DELETE SET NULL,
  technology TEXT,
  filed TEXT ]] .. DATE("filed") .. [[,
  granted TEXT ]] .. DATE("granted") .. [[,
  ]] .. PROV .. [[

);
CREATE UNIQUE INDEX patents_number ON patents(office, number)
  WHERE office IS NOT NULL AND number IS NOT NULL;
CREATE INDEX patents_owner ON patents(owner_id);

CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  key ]] .. KEY .. [[,
  name TEXT NOT NULL CONSTRAINT name_not_empty CHECK (length(name) > 0),
  owner_id INTEGER REFERENCES parties(id) ON DELETE SET NULL,
  description TEXT,
  ]] .. PROV .. [[

);
CREATE INDEX products_owner ON products(owner_id);

-- A patent and/or an accused product asserted in a case; either may be unknown.
CREATE TABLE assertions (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  patent_id INTEGER REFERENCES patents(id) ON DELETE CASCADE,
  product_id INTEGER REFERENCES products(id) ON DELETE CASCADE,
  asserted_by INTEGER REFERENCES parties(id) ON DELETE SET NULL,
  technology TEXT,
  note TEXT,
  ]] .. PROV .. [[

);
CREATE UNIQUE INDEX assertions_natural ON assertions(case_id, ifnull(patent_id, 0),
  ifnull(product_id, 0), ifnull(asserted_by, 0));
CREATE INDEX assertions_patent ON assertions(patent_id);
CREATE INDEX assertions_product ON assertions(product_id);

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  key ]] .. KEY .. [[,
  case_id INTEGER REFERENCES cases(id) ON DELETE CASCADE,
  dispute_id INTEGER REFERENCES disputes(id) ON DELETE CASCADE,
  party_id INTEGER REFERENCES parties(id) ON DELETE CASCADE,
  date TEXT NOT NULL ]] .. DATE("date") .. [[,
  kind TEXT NOT NULL ]] .. enum("kind", "event_kind") .. [[,
  summary TEXT NOT NULL CONSTRAINT summary_not_empty CHECK (length(summary) > 0),
  ]] .. PROV .. [[,
  CONSTRAINT event_has_subject CHECK (case_id IS NOT NULL OR dispute_id IS NOT NULL OR party_id IS NOT NULL)
);
CREATE INDEX events_case ON events(case_id, date);
CREATE INDEX events_dispute ON events(dispute_id, date);
CREATE INDEX events_party ON events(party_id, date);

CREATE TABLE docket_entries (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  number INTEGER CONSTRAINT number_is_count CHECK (number IS NULL OR (typeof(number) = 'integer' AND number >= 0)),
  filed TEXT ]] .. DATE("filed") .. [[,
  entered TEXT ]] .. DATE("entered") .. [[,
  description TEXT,
  ]] .. PROV .. [[

);
CREATE UNIQUE INDEX docket_entries_number ON docket_entries(case_id, number)
  WHERE number IS NOT NULL;
CREATE INDEX docket_entries_case ON docket_entries(case_id, filed);

-- Further places a fact is stated (the fact's own source_id/locator is the first).
CREATE TABLE citations (
  id INTEGER PRIMARY KEY,
  subject_type TEXT NOT NULL ]] .. enum("subject_type", "subject_type") .. [[,
  subject_id INTEGER NOT NULL,
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  locator TEXT
);
CREATE UNIQUE INDEX citations_natural ON citations(subject_type, subject_id, source_id,
  ifnull(locator, ''));
CREATE INDEX citations_source ON citations(source_id);

CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT,
  started TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  finished TEXT,
  status TEXT NOT NULL DEFAULT 'running' ]] .. enum("status", "run_status") .. [[,
  detail TEXT CONSTRAINT detail_is_json CHECK (detail IS NULL OR json_valid(detail))
);
CREATE INDEX runs_kind ON runs(kind, name, started);

CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  rule TEXT NOT NULL,
  rule_version TEXT,
  severity TEXT NOT NULL ]] .. enum("severity", "severity") .. [[,
  subject_type TEXT,
  subject_key TEXT,
  message TEXT NOT NULL,
  evidence TEXT CONSTRAINT evidence_is_json CHECK (evidence IS NULL OR json_valid(evidence))
);
CREATE INDEX findings_run ON findings(run_id);
CREATE INDEX findings_subject ON findings(subject_type, subject_key);

-- Every (subject, source, locator) a fact is stated at: its own plus citations.
CREATE VIEW provenance AS
  SELECT 'source' AS subject_type, id AS subject_id, id AS source_id, NULL AS locator FROM sources
  UNION ALL SELECT 'party', id, source_id, locator FROM parties WHERE source_id IS NOT NULL
  UNION ALL SELECT 'dispute', id, source_id, locator FROM disputes WHERE source_id IS NOT NULL
  UNION ALL SELECT 'case', id, source_id, locator FROM cases WHERE source_id IS NOT NULL
  UNION ALL SELECT 'patent', id, source_id, locator FROM patents WHERE source_id IS NOT NULL
  UNION ALL SELECT 'product', id, source_id, locator FROM products WHERE source_id IS NOT NULL
  UNION ALL SELECT 'event', id, source_id, locator FROM events WHERE source_id IS NOT NULL
  UNION ALL SELECT 'assertion', id, source_id, locator FROM assertions WHERE source_id IS NOT NULL
  UNION ALL SELECT 'docket_entry', id, source_id, locator FROM docket_entries
    WHERE source_id IS NOT NULL
  UNION ALL SELECT subject_type, subject_id, source_id, locator FROM citations;

]] .. fts("events_fts", "events", { "summary" })
  .. fts("sources_fts", "sources", { "title", "text" })
end

--- Migration steps: steps[n] upgrades version n-1 to n. `sql` is SQL text
-- (or a function returning it); `up`, if present, is called with the
-- connection after the SQL. Append new steps; never edit a released one.
M.steps = {
  { name = "initial schema", sql = v1 },
  { name = "docket data: court identity, nature of suit, cause, judges, demands, party types, raw names, attorneys", sql = [[
-- Court dockets are identified like CourtListener does: court id, docket
-- number core (2-digit year + 5-digit number) and the PACER case id.
ALTER TABLE cases ADD COLUMN court_id TEXT;
ALTER TABLE cases ADD COLUMN docket_core TEXT;
ALTER TABLE cases ADD COLUMN pacer_case_id TEXT;
ALTER TABLE cases ADD COLUMN courtlistener_id INTEGER;
ALTER TABLE cases ADD COLUMN nature_of_suit TEXT;
ALTER TABLE cases ADD COLUMN cause TEXT;
ALTER TABLE cases ADD COLUMN judge TEXT;
ALTER TABLE cases ADD COLUMN referred_judge TEXT;
ALTER TABLE cases ADD COLUMN jury_demand TEXT;
ALTER TABLE cases ADD COLUMN demand TEXT;
ALTER TABLE cases ADD COLUMN jurisdiction_basis TEXT;
ALTER TABLE cases ADD COLUMN last_filing TEXT ]] .. DATE("last_filing") .. [[;
ALTER TABLE cases ADD COLUMN lead_case TEXT;
ALTER TABLE cases ADD COLUMN disposition TEXT;
CREATE INDEX cases_docket_identity ON cases(court_id, docket_core);
CREATE INDEX cases_courtlistener ON cases(courtlistener_id) WHERE courtlistener_id IS NOT NULL;

-- How a party appears on a case: the docket's own party type(s)
-- ("Defendant; Counter Claimant"), the name as written, termination.
ALTER TABLE case_parties ADD COLUMN party_type TEXT;
ALTER TABLE case_parties ADD COLUMN raw_name TEXT;
ALTER TABLE case_parties ADD COLUMN terminated TEXT ]] .. DATE("terminated") .. [[;
ALTER TABLE case_parties ADD COLUMN extra_info TEXT;

-- Every spelling a party was imported under and how it was resolved.
CREATE TABLE party_names (
  raw_name TEXT PRIMARY KEY,
  party_id INTEGER NOT NULL REFERENCES parties(id) ON DELETE CASCADE,
  normalized TEXT NOT NULL,
  resolution TEXT NOT NULL CONSTRAINT resolution_kind CHECK (resolution IN
    ('new', 'exact', 'core', 'known', 'ambiguous', 'manual')),
  candidates TEXT CONSTRAINT candidates_is_json CHECK (candidates IS NULL OR json_valid(candidates)),
  source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL
);
CREATE INDEX party_names_party ON party_names(party_id);
CREATE INDEX party_names_normalized ON party_names(normalized);

-- Attorneys and the parties they represent in a case; a firm is a party
-- of kind law_firm.
CREATE TABLE attorneys (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CONSTRAINT name_not_empty CHECK (length(name) > 0),
  email TEXT,
  firm_id INTEGER REFERENCES parties(id) ON DELETE SET NULL,
  contact TEXT,
  ident TEXT NOT NULL UNIQUE
);
CREATE INDEX attorneys_firm ON attorneys(firm_id);
CREATE TABLE case_attorneys (
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  party_id INTEGER REFERENCES parties(id) ON DELETE CASCADE,
  attorney_id INTEGER NOT NULL REFERENCES attorneys(id) ON DELETE CASCADE,
  roles TEXT,
  source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX case_attorneys_natural ON case_attorneys(case_id, ifnull(party_id, 0), attorney_id);
CREATE INDEX case_attorneys_attorney ON case_attorneys(attorney_id);

ALTER TABLE patents ADD COLUMN kind_code TEXT;
ALTER TABLE patents ADD COLUMN application_number TEXT;

ALTER TABLE docket_entries ADD COLUMN pacer_seq INTEGER;
ALTER TABLE docket_entries ADD COLUMN short_description TEXT;
ALTER TABLE docket_entries ADD COLUMN pacer_doc_id TEXT;
ALTER TABLE docket_entries ADD COLUMN url TEXT;
ALTER TABLE docket_entries ADD COLUMN filed_by TEXT;
CREATE INDEX docket_entries_seq ON docket_entries(case_id, pacer_seq) WHERE pacer_seq IS NOT NULL;

-- Plain tables loaded by `lcase import -f csv --table NAME`.
CREATE TABLE analysis_tables (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  file TEXT,
  columns TEXT CONSTRAINT columns_is_json CHECK (columns IS NULL OR json_valid(columns)),
  rows INTEGER,
  imported TEXT
);
]] },
  -- version 3: disputes formed from the data (lcase.store.disputes). Kept
  -- in one block: other version-3 changes go in their own step or next to it.
  { name = "disputes formed from the data: origin and party families of disputes, dispute_cases", sql = [[
ALTER TABLE disputes ADD COLUMN origin TEXT NOT NULL DEFAULT 'user'
  CONSTRAINT origin_is_origin CHECK (origin IN ('user', 'built'));
ALTER TABLE disputes ADD COLUMN family_a_id INTEGER REFERENCES parties(id) ON DELETE SET NULL;
ALTER TABLE disputes ADD COLUMN family_b_id INTEGER REFERENCES parties(id) ON DELETE SET NULL;
CREATE UNIQUE INDEX disputes_families ON disputes(family_a_id, family_b_id);
CREATE INDEX disputes_family_b ON disputes(family_b_id);
CREATE TABLE dispute_cases (
  dispute_id INTEGER NOT NULL REFERENCES disputes(id) ON DELETE CASCADE,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  reasons TEXT CONSTRAINT reasons_is_json CHECK (reasons IS NULL OR json_valid(reasons)),
  PRIMARY KEY (dispute_id, case_id)
);
CREATE INDEX dispute_cases_case ON dispute_cases(case_id);
]] },
  -- version 4: patent documents of every kind, in one block.
  { name = "patent documents of every kind: doc_kind and number_as_written of patents", sql = function()
    return [[
ALTER TABLE patents ADD COLUMN doc_kind TEXT NOT NULL DEFAULT 'grant' ]] .. enum("doc_kind", "doc_kind") .. [[;
ALTER TABLE patents ADD COLUMN number_as_written TEXT;
UPDATE patents SET doc_kind = CASE
  WHEN number GLOB 'D[0-9]*' THEN 'design' WHEN number GLOB 'RE[0-9]*' THEN 'reissue'
  WHEN number GLOB 'PP[0-9]*' THEN 'plant' WHEN number GLOB 'H[0-9]*' THEN 'sir' ELSE 'grant' END
WHERE number IS NOT NULL;
CREATE INDEX patents_doc_kind ON patents(doc_kind);
]]
  end },
  -- version 5: disputes a user shaped (lcase disputes merge|split|rename)
  -- and incremental building (lcase.store.disputes), in one block.
  { name = "disputes a user shaped and incremental dispute building: by_user links, claims, exclusions, dirty cases",
    sql = [[
ALTER TABLE dispute_cases ADD COLUMN by_user INTEGER NOT NULL DEFAULT 0
  CONSTRAINT by_user_is_flag CHECK (by_user IN (0, 1));
UPDATE dispute_cases SET by_user = 1 WHERE EXISTS (SELECT 1 FROM cases c JOIN disputes d ON d.id = c.dispute_id
  WHERE c.id = dispute_cases.case_id AND c.dispute_id = dispute_cases.dispute_id AND d.origin = 'user');
-- the family pairs a dispute holds besides its own (family_a_id, family_b_id)
CREATE TABLE claimed_pairs (
  family_a_id INTEGER NOT NULL REFERENCES parties(id) ON DELETE CASCADE,
  family_b_id INTEGER NOT NULL REFERENCES parties(id) ON DELETE CASCADE,
  dispute_id INTEGER NOT NULL REFERENCES disputes(id) ON DELETE CASCADE,
  PRIMARY KEY (family_a_id, family_b_id)
);
CREATE INDEX claimed_pairs_dispute ON claimed_pairs(dispute_id);
-- cases a user took out of a dispute: building never puts them back
CREATE TABLE excluded_links (
  dispute_id INTEGER NOT NULL REFERENCES disputes(id) ON DELETE CASCADE,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  PRIMARY KEY (dispute_id, case_id)
) WITHOUT ROWID;
CREATE INDEX excluded_links_case ON excluded_links(case_id);
-- cases whose disputes the next build recomputes (0: all of them)
CREATE TABLE dirty_cases (case_id INTEGER NOT NULL, PRIMARY KEY (case_id)) WITHOUT ROWID;
INSERT INTO dirty_cases (case_id) SELECT 0 WHERE EXISTS (SELECT 1 FROM cases);
]],
    -- the triggers that keep dirty_cases, in each engine's own words
    up = function(db)
      if require("lcase.store.dialect").of(db) == "postgresql" then
        db:exec(M.DIRTY_TRIGGERS_PG)
      else
        db:exec(M.DIRTY_TRIGGERS_SQLITE)
      end
    end },
  -- findings by subject: no lcase read looks findings up by subject (they
  -- are read by run), and every rules run rewrote the index for each
  -- finding it replaced and wrote (issue 19: stale-case's 250,490
  -- findings at 100k disputes, 0.7-0.9 s of its 6.3 s CPU)
  { name = "findings without the index by subject", sql = [[
DROP INDEX IF EXISTS findings_subject;
]] },
}

--- The triggers that mark the cases a dispute build must look at again
-- (schema version 5, table dirty_cases; 0 marks every case), for SQLite.
M.DIRTY_TRIGGERS_SQLITE = [[
CREATE TRIGGER dirty_cases_case_ai AFTER INSERT ON cases BEGIN
  INSERT OR IGNORE INTO dirty_cases (case_id) VALUES (new.id);
END;
CREATE TRIGGER dirty_cases_case_au AFTER UPDATE OF dispute_id, responds_to, lead_case, court_id, docket_core
ON cases WHEN old.dispute_id IS NOT new.dispute_id OR old.responds_to IS NOT new.responds_to
  OR old.lead_case IS NOT new.lead_case OR old.court_id IS NOT new.court_id OR old.docket_core IS NOT new.docket_core
BEGIN
  INSERT OR IGNORE INTO dirty_cases (case_id) VALUES (new.id);
END;
CREATE TRIGGER dirty_cases_case_bd BEFORE DELETE ON cases BEGIN
  INSERT OR IGNORE INTO dirty_cases (case_id)
    SELECT o.case_id FROM dispute_cases dc JOIN dispute_cases o ON o.dispute_id = dc.dispute_id
    WHERE dc.case_id = old.id AND o.case_id <> old.id;
END;
CREATE TRIGGER dirty_cases_cp_ai AFTER INSERT ON case_parties BEGIN
  INSERT OR IGNORE INTO dirty_cases (case_id) VALUES (new.case_id);
END;
CREATE TRIGGER dirty_cases_cp_ad AFTER DELETE ON case_parties BEGIN
  INSERT OR IGNORE INTO dirty_cases (case_id) VALUES (old.case_id);
END;
CREATE TRIGGER dirty_cases_cp_au AFTER UPDATE OF case_id, party_id, role ON case_parties
WHEN old.case_id IS NOT new.case_id OR old.party_id IS NOT new.party_id OR old.role IS NOT new.role BEGIN
  INSERT OR IGNORE INTO dirty_cases (case_id) VALUES (old.case_id);
  INSERT OR IGNORE INTO dirty_cases (case_id) VALUES (new.case_id);
END;
CREATE TRIGGER dirty_cases_rt_ai AFTER INSERT ON case_responds_to BEGIN
  INSERT OR IGNORE INTO dirty_cases (case_id) VALUES (new.case_id);
  INSERT OR IGNORE INTO dirty_cases (case_id) VALUES (new.responds_to);
END;
CREATE TRIGGER dirty_cases_rt_ad AFTER DELETE ON case_responds_to BEGIN
  INSERT OR IGNORE INTO dirty_cases (case_id) VALUES (old.case_id);
  INSERT OR IGNORE INTO dirty_cases (case_id) VALUES (old.responds_to);
END;
CREATE TRIGGER dirty_cases_as_ai AFTER INSERT ON assertions BEGIN
  INSERT OR IGNORE INTO dirty_cases (case_id) VALUES (new.case_id);
END;
CREATE TRIGGER dirty_cases_as_ad AFTER DELETE ON assertions BEGIN
  INSERT OR IGNORE INTO dirty_cases (case_id) VALUES (old.case_id);
END;
CREATE TRIGGER dirty_cases_as_au AFTER UPDATE OF case_id, patent_id ON assertions
WHEN old.case_id IS NOT new.case_id OR old.patent_id IS NOT new.patent_id BEGIN
  INSERT OR IGNORE INTO dirty_cases (case_id) VALUES (old.case_id);
  INSERT OR IGNORE INTO dirty_cases (case_id) VALUES (new.case_id);
END;
CREATE TRIGGER dirty_cases_party_au AFTER UPDATE OF parent_id, kind ON parties
WHEN old.parent_id IS NOT new.parent_id OR old.kind IS NOT new.kind BEGIN
  INSERT OR IGNORE INTO dirty_cases (case_id) VALUES (0);
END;
CREATE TRIGGER dirty_cases_party_ad AFTER DELETE ON parties BEGIN
  INSERT OR IGNORE INTO dirty_cases (case_id) VALUES (0);
END;
]]

-- The statement-level dirty-case triggers on PostgreSQL: for each table
-- and event, dirty_cases_<short>_<event>, with the transition tables
-- lcase_dirty_cases_mark reads.
local function statement_triggers()
  local EVENTS = {
    ins = { "INSERT", "NEW TABLE AS lcase_new" },
    upd = { "UPDATE", "OLD TABLE AS lcase_old NEW TABLE AS lcase_new" },
    del = { "DELETE", "OLD TABLE AS lcase_old" },
  }
  local out = {}
  for _, t in ipairs({ { "cases", "case", "ins", "upd" }, { "case_parties", "cp", "ins", "upd", "del" },
      { "case_responds_to", "rt", "ins", "upd", "del" }, { "assertions", "as", "ins", "upd", "del" } }) do
    for k = 3, #t do
      local name, ev = "dirty_cases_" .. t[2] .. "_" .. t[k], EVENTS[t[k]]
      out[#out + 1] = ("DROP TRIGGER IF EXISTS %s ON %s;\nCREATE TRIGGER %s AFTER %s ON %s REFERENCING %s\n" ..
        "  FOR EACH STATEMENT EXECUTE FUNCTION lcase_dirty_cases_mark();\n"):format(name, t[1], name, ev[1], t[1], ev[2])
    end
  end
  return table.concat(out)
end

--- The same triggers for PostgreSQL. A row's insert, update or delete marks
-- its cases once a statement (statement-level triggers reading the
-- statement's transition tables: the row-level ones called a PL/pgSQL
-- function and ran an INSERT a row, 15,725 of them at a 2,000-case import);
-- a case's update marks it when one of the columns a build reads changed (a
-- row of the new table without its old one by id counts as changed); a
-- removed case marks the cases of its disputes (a row-level BEFORE DELETE
-- trigger: its dispute_cases rows are gone by the end of the statement); a
-- party's new parent or kind, or a removed party, marks all (0).
-- One trigger function for both kinds (lcase.store.copy sets aside the
-- triggers that call it while it copies). Idempotent: it replaces the
-- triggers of an older lcase (the row-level ones; M.ensure_prelude runs it
-- again when the prelude's version rises).
M.DIRTY_TRIGGERS_PG = [==[
-- postgresql
DROP TRIGGER IF EXISTS dirty_cases_case ON cases;
DROP TRIGGER IF EXISTS dirty_cases_cp ON case_parties;
DROP TRIGGER IF EXISTS dirty_cases_rt ON case_responds_to;
DROP TRIGGER IF EXISTS dirty_cases_as ON assertions;
CREATE OR REPLACE FUNCTION lcase_dirty_cases_mark() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF TG_LEVEL = 'ROW' THEN
    IF TG_TABLE_NAME = 'cases' THEN
      INSERT INTO dirty_cases (case_id)
        SELECT DISTINCT o.case_id FROM dispute_cases dc JOIN dispute_cases o ON o.dispute_id = dc.dispute_id
        WHERE dc.case_id = OLD.id AND o.case_id <> OLD.id
      ON CONFLICT DO NOTHING;
      RETURN OLD;
    END IF;
    IF TG_OP = 'DELETE' OR NEW.parent_id IS DISTINCT FROM OLD.parent_id OR NEW.kind IS DISTINCT FROM OLD.kind THEN
      INSERT INTO dirty_cases (case_id) VALUES (0) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'cases' THEN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO dirty_cases (case_id) SELECT DISTINCT id FROM lcase_new ON CONFLICT DO NOTHING;
    ELSE
      INSERT INTO dirty_cases (case_id)
        SELECT DISTINCT n.id FROM lcase_new n LEFT JOIN lcase_old o ON o.id = n.id
        WHERE o.id IS NULL OR n.dispute_id IS DISTINCT FROM o.dispute_id
          OR n.responds_to IS DISTINCT FROM o.responds_to OR n.lead_case IS DISTINCT FROM o.lead_case
          OR n.court_id IS DISTINCT FROM o.court_id OR n.docket_core IS DISTINCT FROM o.docket_core
      ON CONFLICT DO NOTHING;
    END IF;
  ELSIF TG_TABLE_NAME = 'case_responds_to' THEN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO dirty_cases (case_id)
        SELECT case_id FROM lcase_new UNION SELECT responds_to FROM lcase_new ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'DELETE' THEN
      INSERT INTO dirty_cases (case_id)
        SELECT case_id FROM lcase_old UNION SELECT responds_to FROM lcase_old ON CONFLICT DO NOTHING;
    ELSE
      INSERT INTO dirty_cases (case_id)
        SELECT case_id FROM lcase_new UNION SELECT responds_to FROM lcase_new
        UNION SELECT case_id FROM lcase_old UNION SELECT responds_to FROM lcase_old ON CONFLICT DO NOTHING;
    END IF;
  ELSE
    IF TG_OP = 'INSERT' THEN
      INSERT INTO dirty_cases (case_id) SELECT DISTINCT case_id FROM lcase_new ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'DELETE' THEN
      INSERT INTO dirty_cases (case_id) SELECT DISTINCT case_id FROM lcase_old ON CONFLICT DO NOTHING;
    ELSE
      INSERT INTO dirty_cases (case_id)
        SELECT case_id FROM lcase_new UNION SELECT case_id FROM lcase_old ON CONFLICT DO NOTHING;
    END IF;
  END IF;
  RETURN NULL;
END $f$;
]==] .. statement_triggers() .. [==[
DROP TRIGGER IF EXISTS dirty_cases_case_bd ON cases;
CREATE TRIGGER dirty_cases_case_bd BEFORE DELETE ON cases
  FOR EACH ROW EXECUTE FUNCTION lcase_dirty_cases_mark();
DROP TRIGGER IF EXISTS dirty_cases_party ON parties;
CREATE TRIGGER dirty_cases_party AFTER UPDATE OR DELETE ON parties
  FOR EACH ROW EXECUTE FUNCTION lcase_dirty_cases_mark();
]==]

--- The SQL text of step n.
function M.step_sql(n)
  local sql = M.steps[n].sql
  if type(sql) == "function" then sql = sql() end
  return sql
end

--- The schema version this lcase writes.
M.version = #M.steps

local function db_error(msg)
  local errors = require "lcase.base.errors"
  error(errors.new("db", msg), 0)
end

--- The application id lcase stamps on its databases (`PRAGMA
-- application_id`, bytes 68-71 of the file's header: "LCAS"), so a file is
-- known for a case database from its header alone, whatever its
-- user_version says.
M.application_id = 0x4C434153

--- Current schema version of a connection (one PRAGMA read).
function M.current(db)
  local dialect = require "lcase.store.dialect"
  if dialect.of(db) == "postgresql" then return dialect.user_version(db) end
  return db:value("PRAGMA user_version")
end

--- Check a database's version; returns "ok", "old" or "empty". Raises a db
-- error for a newer schema or a non-lcase database.
function M.check(db, name)
  local v = M.current(db)
  if v == M.version then return "ok" end
  name = name or "database"
  if v > M.version then
    db_error(("%s has schema version %d, newer than this lcase supports (%d): upgrade lcase")
      :format(name, v, M.version))
  end
  if v < 0 then
    db_error(("%s has schema version %d, which no lcase writes: not an lcase case database, " ..
      "or a damaged one (see 'lcase check')"):format(name, v))
  end
  if v == 0 then
    local n = db:value("SELECT count(*) FROM sqlite_schema")
    if n > 0 then
      db_error(name .. " is not an lcase case database (it has tables but no lcase schema version)")
    end
    return "empty"
  end
  return "old"
end

--- On PostgreSQL, run the dialect's prelude unless this version of it ran
-- already; when it ran on a database made by an older lcase (schema version
-- 5 or later: it has dirty_cases), replace that lcase's dirty-case triggers
-- too (prelude version 10 brought the statement-level ones). In the
-- caller's transaction.
function M.ensure_prelude(db)
  if require("lcase.store.dialect").ensure_prelude(db) and M.current(db) >= 5 then
    db:exec(M.DIRTY_TRIGGERS_PG)
  end
end

--- Bring a connection up to the current schema in one transaction.
-- @return the version before and after
function M.migrate(db, name)
  local state = M.check(db, name)
  local dialect = require "lcase.store.dialect"
  if state == "ok" and dialect.of(db) == "postgresql" then
    db:transaction(function() M.ensure_prelude(db) end)
  end
  if state == "ok" then return M.version, M.version end
  local from
  db:transaction(function()
    from = M.current(db) -- re-read inside the transaction (another process may have won)
    if from > M.version then M.check(db, name) end
    if dialect.of(db) == "postgresql" then M.ensure_prelude(db) end
    for v = from + 1, M.version do
      local step = M.steps[v]
      if step.sql then db:exec(M.step_sql(v)) end
      if step.up then step.up(db) end
    end
    db:exec("PRAGMA user_version = " .. math.tointeger(M.version))
    db:exec("PRAGMA application_id = " .. math.tointeger(M.application_id))
  end)
  return from, M.version
end

return M

/*
** lhtml.c -- lcase.html: HTML as saved from a browser, parsed by libxml2's
** HTML parser (the tolerant one browsers' pages need), as a Lua tree.
**
**   local html = require "lcase.html"
**   local root = html.parse(bytes)
**   -- element: { name = "p", attrs = { class = "x" }, [1] = "text", [2] = {element}, ... }
**
** Text nodes are strings; comments and processing instructions are left
** out; the content of <script> and <style> is one string child (JSON-LD
** lives there). Element and attribute names are lower case (libxml2's HTML
** parser folds them). Input is taken as UTF-8 unless the page declares
** another encoding; the strings returned are UTF-8. Elements nested deeper
** than opts.max_depth (default 200) give their text to the element at that
** depth, so a hostile page cannot exhaust the C stack. Misuse raises an
** error; a document libxml2 cannot read at all returns nil and a message.
*/
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "lcase.h"

#define HTML_MAXDEPTH 200

/* all the text under n (used past the depth limit) into b */
static void add_text(xmlNode *n, luaL_Buffer *b) {
  xmlNode *c;
  for (c = n; c; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
      luaL_addstring(b, (const char *)c->content);
    else if (c->type == XML_ELEMENT_NODE && c->children)
      add_text(c->children, b);
  }
}

/* the element n as a table on top of the stack */
static void push_element(lua_State *L, xmlNode *n, int depth, int maxdepth) {
  xmlNode *c;
  xmlAttr *a;
  lua_Integer k = 0;
  luaL_checkstack(L, 6, "HTML too deeply nested");
  lua_createtable(L, 2, 2);
  lua_pushstring(L, n->name ? (const char *)n->name : "");
  lua_setfield(L, -2, "name");
  if (n->properties) {
    lua_createtable(L, 0, 2);
    for (a = n->properties; a; a = a->next) {
      xmlChar *v;
      if (!a->name) continue;
      v = xmlNodeListGetString(n->doc, a->children, 1);
      lua_pushstring(L, v ? (const char *)v : "");
      if (v) xmlFree(v);
      lua_setfield(L, -2, (const char *)a->name);
    }
    lua_setfield(L, -2, "attrs");
  }
  if (depth >= maxdepth) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    add_text(n->children, &b);
    luaL_pushresult(&b);
    lua_rawseti(L, -2, ++k);
    return;
  }
  for (c = n->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) {
      push_element(L, c, depth + 1, maxdepth);
      lua_rawseti(L, -2, ++k);
    } else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
      /* adjacent text nodes are one string */
      if (k > 0 && lua_rawgeti(L, -1, k) == LUA_TSTRING) {
        lua_pushstring(L, (const char *)c->content);
        lua_concat(L, 2);
        lua_rawseti(L, -2, k);
      } else {
        if (k > 0) lua_pop(L, 1);
        lua_pushstring(L, (const char *)c->content);
        lua_rawseti(L, -2, ++k);
      }
    }
  }
}

typedef struct { htmlDocPtr doc; } DocBox;

static int doc_gc(lua_State *L) {
  DocBox *box = (DocBox *)lua_touserdata(L, 1);
  if (box && box->doc) {
    xmlFreeDoc(box->doc);
    box->doc = NULL;
  }
  return 0;
}

/* html.parse(s [, { max_depth = n }]) -> root element | nil, message */
static int html_parse(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  int maxdepth = HTML_MAXDEPTH;
  DocBox *box;
  xmlNode *root;

  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    if (lua_getfield(L, 2, "max_depth") != LUA_TNIL) {
      int isnum;
      lua_Integer v = lua_tointegerx(L, -1, &isnum);
      if (lua_type(L, -1) != LUA_TNUMBER || !isnum || v < 1 || v > 10000)
        return luaL_error(L, "bad option 'max_depth' to 'parse' (integer 1 to 10000 expected)");
      maxdepth = (int)v;
    }
    lua_pop(L, 1);
  }
  if (len > (size_t)INT32_MAX) return luaL_argerror(L, 1, "document too large");
  /* the document is freed by the garbage collector even if building the
   * tree raises (out of memory) */
  box = (DocBox *)lua_newuserdatauv(L, sizeof *box, 0);

  box->doc = NULL;
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, doc_gc);
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  box->doc = htmlReadMemory(s, (int)len, NULL, "UTF-8",
                            HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                            HTML_PARSE_NONET | HTML_PARSE_NOBLANKS | HTML_PARSE_COMPACT);
  if (!box->doc) {
    lua_pushnil(L);
    lua_pushliteral(L, "not an HTML document libxml2 can read");
    return 2;
  }
  root = xmlDocGetRootElement(box->doc);
  if (!root) {
    xmlFreeDoc(box->doc);
    box->doc = NULL;
    lua_pushnil(L);
    lua_pushliteral(L, "an HTML document without elements");
    return 2;
  }
  push_element(L, root, 0, maxdepth);
  xmlFreeDoc(box->doc);   /* the tree is built: free the document now */
  box->doc = NULL;

  return 1;
}

static const luaL_Reg funcs[] = {
  {"parse", html_parse},
  {NULL, NULL}
};

int luaopen_lcase_html(lua_State *L) {
  LIBXML_TEST_VERSION
  luaL_newlib(L, funcs);
  return 1;
}

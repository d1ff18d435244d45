/*
** embed.c: bytecode built into the program (see embed.h).
*/
#include "embed.h"

#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "buildid.h"
#include "luahost.h"

#define EMBED_MARKER "@sparklint-embedded-chunk-name"
#define EMBED_PROBE "@/a/longer/path/to/check/that/renaming/works/rules/x.lua"

static const struct embed_set *embed_active;

size_t embed_size(char out[EMBED_SIZE_MAX], size_t x)
{
	char buf[EMBED_SIZE_MAX];
	size_t n = 0;

	do {		/* 7 bits a byte, most significant first, last byte | 0x80 */
		buf[EMBED_SIZE_MAX - ++n] = (char)(x & 0x7f);
		x >>= 7;
	} while (x);
	buf[EMBED_SIZE_MAX - 1] = (char)(buf[EMBED_SIZE_MAX - 1] | 0x80);
	memcpy(out, buf + EMBED_SIZE_MAX - n, n);
	return n;
}

void embed_pieces(const struct embed_chunk *c, const char *chunkname,
		  struct embed_pieces *out)
{
	size_t nlen = strlen(chunkname);

	out->p[0] = (const char *)c->bc;
	out->n[0] = c->name_at;
	out->p[1] = out->enc;
	out->n[1] = embed_size(out->enc, nlen + 1);
	out->p[2] = chunkname;
	out->n[2] = nlen;
	out->p[3] = (const char *)c->bc + c->name_end;
	out->n[3] = c->bclen - c->name_end;
}

char *embed_patch(const struct embed_chunk *c, const char *chunkname, size_t *len)
{
	struct embed_pieces pc;
	char *out;

	embed_pieces(c, chunkname, &pc);
	*len = pc.n[0] + pc.n[1] + pc.n[2] + pc.n[3];
	if (!(out = malloc(*len)))
		return NULL;
	for (size_t i = 0, at = 0; i < 4; at += pc.n[i++])
		memcpy(out + at, pc.p[i], pc.n[i]);
	return out;
}

/* Load c under another name: does Lua report that name? */
static int embed_probe(lua_State *L, const struct embed_chunk *c)
{
	size_t len;
	char *bc = embed_patch(c, EMBED_PROBE, &len);
	lua_Debug ar;
	int st;

	if (!bc)
		return -1;
	st = luaL_loadbufferx(L, bc, len, EMBED_PROBE, "b");
	free(bc);
	if (st != LUA_OK) {
		lua_pop(L, 1);
		return -1;
	}
	lua_getinfo(L, ">S", &ar);
	return strcmp(ar.source, EMBED_PROBE) ? -1 : 0;
}

int embed_compile(lua_State *L, const char *src, size_t len, struct embed_chunk *c)
{
	size_t mlen = strlen(EMBED_MARKER), enclen, bclen, at;
	char enc[EMBED_SIZE_MAX], *bc;
	const char *hit = NULL;
	int dumped;

	memset(c, 0, sizeof *c);
	if (luaL_loadbufferx(L, src, len, EMBED_MARKER, "t") != LUA_OK)
		return -1;
	dumped = luahost_dump(L, &bc, &bclen);
	lua_pop(L, 1);
	if (dumped < 0)
		return -1;
	for (const char *p = bc; p + mlen <= bc + bclen; p++)
		if (!memcmp(p, EMBED_MARKER, mlen)) {
			if (hit)	/* twice: the text spells the marker; not this one */
				goto out_fail;
			hit = p;
		}
	enclen = embed_size(enc, mlen + 1);
	if (!hit || (size_t)(hit - bc) < enclen || memcmp(hit - enclen, enc, enclen))
		goto out_fail;
	at = (size_t)(hit - bc);
	c->src = src;
	c->len = len;
	c->name_at = at - enclen;
	c->name_end = at + mlen;
	c->bc = (const unsigned char *)bc;
	c->bclen = bclen;
	if (embed_probe(L, c) == 0)
		return 0;
	memset(c, 0, sizeof *c);
out_fail:
	free(bc);
	return -1;
}

size_t embed_lua_id(unsigned char *out, size_t cap)
{
	static const char pre[] = "static ";
	size_t len = buildid_of("liblua", out, cap);

	if (len || buildid_loaded("liblua"))
		return len;
	len = sizeof pre - 1 + strlen(lua_ident);
	if (len > cap)
		return 0;
	memcpy(out, pre, sizeof pre - 1);
	memcpy(out + sizeof pre - 1, lua_ident, len - (sizeof pre - 1));
	return len;
}

void embed_use(const struct embed_set *set)
{
	unsigned char id[256];
	size_t len = embed_lua_id(id, sizeof id);

	embed_active = set && set->n > 0 && len && len == set->lua_idlen &&
		       !memcmp(id, set->lua_id, len) ? set : NULL;
}

const struct embed_chunk *embed_find(const char *src, size_t len)
{
	const struct embed_set *set = embed_active;

	for (int i = 0; set && i < set->n; i++)
		if (set->v[i].len == len && !memcmp(set->v[i].src, src, len))
			return &set->v[i];
	return NULL;
}

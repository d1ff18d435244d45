/*
** test_embed.c: bytecode built into the program (lib/embed.c): a chunk
** renamed to its file reads exactly as the text does, in errors and
** positions; it is used only for the very text it came from and only with
** the liblua it was made with.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <lauxlib.h>

#include "buildid.h"
#include "embed.h"
#include "luahost.h"
#include "util.h"

/* An error two calls deep, on line 3, and a nested function's line. */
static const char chunk[] =
	"local M = {}\n"
	"local function inner(x)\n"
	"  error('boom ' .. x)\n"
	"end\n"
	"function M.f(x) inner(x) end\n"
	"return M\n";

static void test_embed_size_is_luas_encoding(void **state)
{
	char out[EMBED_SIZE_MAX];

	(void)state;
	assert_int_equal(embed_size(out, 1), 1);
	assert_int_equal((unsigned char)out[0], 0x81);
	assert_int_equal(embed_size(out, 127), 1);
	assert_int_equal((unsigned char)out[0], 0xff);
	assert_int_equal(embed_size(out, 128), 2);
	assert_int_equal((unsigned char)out[0], 0x01);
	assert_int_equal((unsigned char)out[1], 0x80);
	assert_int_equal(embed_size(out, 300), 2);
	assert_int_equal((unsigned char)out[0], 0x02);
	assert_int_equal((unsigned char)out[1], 0xac);
}

/*
** Load `bc` (or, when NULL, c's pieces; or, when c is NULL too, the text)
** as `name`, call M.f('x'): the diagnostic.
*/
static struct diag run(const char *name, const char *bc, size_t bclen,
		       const struct embed_chunk *c)
{
	struct diag_list dl = DIAG_LIST_INIT;
	lua_State *L = luahost_new(NULL, false);
	struct embed_pieces pc;
	struct diag d;

	assert_non_null(L);
	if (bc) {
		assert_int_equal(luahost_load_compiled(L, name, bc, bclen, "rule-error", &dl), 0);
	} else if (c) {
		embed_pieces(c, name, &pc);
		assert_int_equal(luahost_load_pieces(L, name, pc.p, pc.n, 4, "rule-error", &dl), 0);
	} else
		assert_int_equal(luahost_load(L, name, chunk, strlen(chunk), "rule-error", &dl), 0);
	assert_int_equal(luahost_pcall(L, 0, 1, "rule-error", &dl), 0);
	lua_getfield(L, -1, "f");
	lua_pushstring(L, "x");
	assert_int_equal(luahost_pcall(L, 1, 0, "rule-error", &dl), -1);
	assert_int_equal(dl.n, 1);
	d = dl.v[0];
	d.msg = (char *)util_intern(d.msg);
	diag_list_release(&dl);
	luahost_close(L);
	return d;
}

static void test_embed_renamed_chunk_reads_as_the_text(void **state)
{
	const char *names[] = { "@rules/t.lua", "@/a/much/longer/directory/name/than/the/"
				"marker/had/to/see/that/the/size/grows/rules/t.lua", "@x" };
	lua_State *L = luaL_newstate();
	struct embed_chunk c;

	(void)state;
	assert_int_equal(embed_compile(L, chunk, strlen(chunk), &c), 0);
	for (size_t i = 0; i < countof(names); i++) {
		size_t len;
		char *bc = embed_patch(&c, names[i], &len);
		struct diag a = run(names[i], NULL, 0, NULL), b = run(names[i], bc, len, NULL),
			    p = run(names[i], NULL, 0, &c);

		assert_non_null(strstr(a.msg, "boom x"));
		assert_string_equal(a.msg, b.msg);
		assert_string_equal(a.msg, p.msg);
		assert_string_equal(a.pos.file, names[i] + 1);
		assert_ptr_equal(a.pos.file, b.pos.file);	/* interned: the same name */
		assert_ptr_equal(a.pos.file, p.pos.file);
		assert_int_equal(a.pos.line, b.pos.line);
		assert_int_equal(a.pos.line, p.pos.line);
		free(bc);
	}
	free((void *)c.bc);
	lua_close(L);
}

static void test_embed_used_only_for_the_same_text_and_lua(void **state)
{
	lua_State *L = luaL_newstate();
	unsigned char id[256], other[256];
	size_t idlen = embed_lua_id(id, sizeof id);
	struct embed_chunk c;
	struct embed_set set;
	char *copy;

	(void)state;
	assert_int_equal(embed_compile(L, chunk, strlen(chunk), &c), 0);
	set = (struct embed_set){ &c, 1, id, idlen };
	assert_null(embed_find(chunk, strlen(chunk)));	/* none in use */
	embed_use(&set);
	if (!idlen)
		skip();		/* a liblua that cannot be identified: nothing is ever used */
	copy = strdup(chunk);
	assert_ptr_equal(embed_find(copy, strlen(copy)), &c);
	copy[strlen(copy) - 2] = 'N';	/* "return N": another text */
	assert_null(embed_find(copy, strlen(copy)));
	assert_null(embed_find(chunk, strlen(chunk) - 1));
	/* another liblua: never */
	memcpy(other, id, idlen);
	other[0] ^= 1;
	set.lua_id = other;
	embed_use(&set);
	assert_null(embed_find(chunk, strlen(chunk)));
	embed_use(NULL);
	free(copy);
	free((void *)c.bc);
	lua_close(L);
}

/*
** A liblua linked into the program is known by its release ("static " and
** lua_ident), a shared one by its build ID: bytecode made with one is never
** used with the other.  (These tests link the shared one.)
*/
static void test_embed_static_and_shared_lua_never_match(void **state)
{
	lua_State *L = luaL_newstate();
	unsigned char id[256], stat[256];
	size_t idlen = embed_lua_id(id, sizeof id);
	int statlen = snprintf((char *)stat, sizeof stat, "static %s", lua_ident);
	struct embed_chunk c;
	struct embed_set set;

	(void)state;
	assert_true(statlen > 0 && (size_t)statlen < sizeof stat);
	assert_int_equal(embed_compile(L, chunk, strlen(chunk), &c), 0);
	if (buildid_loaded("liblua")) {
		assert_true(idlen > 0);
		assert_false(idlen == (size_t)statlen && !memcmp(id, stat, idlen));
		set = (struct embed_set){ &c, 1, stat, (size_t)statlen };
		embed_use(&set);
		assert_null(embed_find(chunk, strlen(chunk)));
	} else {
		assert_int_equal(idlen, (size_t)statlen);
		assert_memory_equal(id, stat, idlen);
	}
	embed_use(NULL);
	free((void *)c.bc);
	lua_close(L);
}

/* Text that spells the marker itself cannot be renamed: compiled, not embedded. */
static void test_embed_refuses_a_text_with_the_marker(void **state)
{
	static const char evil[] = "return '@sparklint-embedded-chunk-name'\n";
	lua_State *L = luaL_newstate();
	struct embed_chunk c;

	(void)state;
	assert_int_equal(embed_compile(L, evil, strlen(evil), &c), -1);
	assert_null(c.bc);
	lua_close(L);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embed_size_is_luas_encoding),
		cmocka_unit_test(test_embed_renamed_chunk_reads_as_the_text),
		cmocka_unit_test(test_embed_used_only_for_the_same_text_and_lua),
		cmocka_unit_test(test_embed_static_and_shared_lua_never_match),
		cmocka_unit_test(test_embed_refuses_a_text_with_the_marker),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	util_intern_release();
	return rc;
}

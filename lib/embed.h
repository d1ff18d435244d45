/*
** embed.h: Lua bytecode built into the program (sparklint's built-in rules,
** compiled by tools/embed-rules.c at build time), so that start-up does not
** compile them.  A chunk is used only for a file whose text is byte for
** byte the text it was compiled from, and only with the liblua it was
** compiled by (embed_lua_id): Lua does not verify bytecode, so none ever
** comes from anywhere but the program itself.
**
** Lua 5.4 stores a chunk's name once, in its main function, right after
** the header; nested functions inherit it.  Each chunk records where that
** name is, and embed_pieces puts the file's own name there, so that errors
** and tracebacks read exactly as for the text.
*/
#ifndef SK_EMBED_H
#define SK_EMBED_H

#include <stddef.h>

#include <lua.h>

#define EMBED_SIZE_MAX 16	/* bytes of an encoded size (ldump.c's dumpSize) */

struct embed_chunk {
	const char *src;		/* the text it was compiled from */
	size_t len;
	const unsigned char *bc;	/* bytecode */
	size_t bclen;
	size_t name_at, name_end;	/* the encoded chunk name: bc[name_at, name_end) */
};

struct embed_set {
	const struct embed_chunk *v;
	int n;
	const unsigned char *lua_id;	/* embed_lua_id of the liblua that compiled them */
	size_t lua_idlen;
};

/* The built-in rules (generated; linked into sparklint only). */
extern const struct embed_set embed_builtin;

/* Lua 5.4's encoding of a size (a string's length + 1); its length. */
size_t embed_size(char out[EMBED_SIZE_MAX], size_t x);

/*
** The chunk's bytecode named `chunkname`, as the pieces lua_load reads in
** turn (luahost_load_pieces), so that nothing is copied: the bytes before
** the name, the name's encoded size (in `enc`: use the struct where it was
** filled), the name, the bytes after it.
*/
struct embed_pieces {
	const char *p[4];
	size_t n[4];
	char enc[EMBED_SIZE_MAX];
};
void embed_pieces(const struct embed_chunk *c, const char *chunkname,
		  struct embed_pieces *out);

/* The same bytecode in one piece (malloc'd), or NULL (no memory). */
char *embed_patch(const struct embed_chunk *c, const char *chunkname, size_t *len);

/*
** Compile `src` for embedding: c->bc (malloc'd) and the name's place.
** Returns 0, or -1 (a syntax error: message on L's stack; or a chunk whose
** name cannot be found or renamed).
*/
int embed_compile(lua_State *L, const char *src, size_t len, struct embed_chunk *c);

/*
** Which liblua this program runs, in at most `cap` bytes (0: unknown, and
** nothing embedded is ever used): its GNU build ID when liblua is a shared
** object; when it is linked into the program (make's default, STATIC=1),
** "static " and its release string, lua_ident.  Within a release the
** bytecode format does not change, and the header lua_load checks has the
** sizes of its numbers; the two kinds never match each other.
*/
size_t embed_lua_id(unsigned char *out, size_t cap);

/* Use `set` from now on, when the liblua running is the one it was made with. */
void embed_use(const struct embed_set *set);

/* The chunk in use compiled from exactly the file text src[len], or NULL. */
const struct embed_chunk *embed_find(const char *src, size_t len);

#endif

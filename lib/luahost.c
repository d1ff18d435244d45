/*
** luahost.c: the sandboxed Lua state that runs rules (sparklint) and template
** expressions (sparkgen): capped allocator, trimmed libraries behind read-only
** proxies, one _ENV per chunk, instruction and time budgets, error reports.
*/
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

#include "lpool.h"
#include "luahost.h"
#include "strbuf.h"
#include "lx.h"
#include "util.h"

#define DEFAULT_INSNS		30000000UL
#define DEFAULT_TIME_MS		5000UL
#define HOOK_STEP		10000UL		/* instructions between budget checks */
#define SHARE_STEP		1000UL		/* the same while calls share a budget */
#define BYTES_PER_INSN		16		/* large allocations charged to the budget */
#define CHARGE_MIN		1024		/* smaller ones are paced by instructions */
#define CLOCK_BYTES		(1u << 20)	/* allocated bytes between clock checks */
#define TRACE_MARK		"\nstack traceback:"
/*
** The collector's pause (Lua's default is 200: a new cycle when the heap
** has doubled since the last).  At 300 the rules' garbage starts half as
** many cycles.  When a lint run's heap was every document it had read,
** live to the end: benchmark stream at -j2 2.32 s -> 1.96 s, peak RSS
** 464 -> 486 MiB.  Now that documents nothing holds are collected
** (worker_reset_cache in lint/worker.h), a lower pause saves little: at
** -j1, 200 took 4 MiB off 261 MiB in about the same time (two runs each,
** a noisy host), 150 took 9 MiB off for about 15% more CPU.  sparkgen's
** template states: no difference.  The state's cap bounds the heap either
** way: an allocation it refuses makes Lua collect and retry.
*/
#define GC_PAUSE		300

enum run_state { RUN_OK, RUN_INSNS, RUN_TIME };

struct host {
	lua_State *L;
	size_t used, cap;		/* live bytes, and the cap on what scripts make */
	size_t docs;			/* of used: converted documents, not capped */
	unsigned converting;		/* document conversions under way (nested) */
	size_t since_clock;		/* bytes allocated since the last clock check */
	long fail_after;		/* testing: growth allocations left; -1 = off */
	bool mem_hit;			/* an allocation was refused during this call */
	bool mem_failed;		/* ... and refused again after the collection */
	size_t refused_old, refused_new;	/* the last refused growth; 0, 0 = none */
	bool spent;			/* the last outermost call failed for want of a budget */
	bool spent_mem;			/* ... of memory */
	bool verbose;
	size_t printed;			/* bytes print() wrote (lx_print_room) */
	unsigned long budget, left;	/* per-call instructions; what remains */
	unsigned long step;		/* current hook interval */
	unsigned long time_ms;
	int64_t deadline;		/* CLOCK_MONOTONIC ns */
	enum run_state exhausted;
	unsigned long hook_step;	/* HOOK_STEP, or SHARE_STEP while sharing */
	unsigned long armed;		/* instructions the running call was given */
	/* luahost_share_begin: one budget for many outermost calls */
	const char *share_what;		/* NULL: not sharing */
	unsigned long share_insns, share_left, share_ms;
	int64_t share_deadline;
	bool share_insns_hit, share_time_hit;	/* the shared budget limits this call */
	int depth;			/* nesting of luahost_pcall */
	const char *err_file;		/* interned; set by the message handler */
	unsigned err_line;
	size_t err_skip;		/* bytes of "file:line: " to drop from the message */
	struct lpool pool;		/* where the state's blocks come from */
	_Atomic int64_t stuck_at;	/* ns: the watchdog's limit for this call; 0 = none */
	struct diag_pos where;		/* luahost_set_where, for the watchdog */
	const char *where_what, *where_name;
	struct host *watch_prev, *watch_next;	/* every state, for the watchdog */
};

char lx_null_sentinel;
char lx_array_key;
char lx_doc_key;
static char env_mt_key;			/* registry: metatable shared by chunk _ENVs */
static char env_line_key;		/* registry: _ENV -> line of its first global */

static struct host *host_of(lua_State *L)
{
	return *(struct host **)lua_getextraspace(L);
}

/* {====== memory */

static void charge_bytes(struct host *h, size_t n);

/*
** What scripts may still allocate.  The documents converted for them do not
** count: they are bounded by the input (which the loader bounds), and a
** cap that had to hold them would have to grow with the input, and let a
** hostile rule use all of that on a big one.
*/
static size_t room(const struct host *h)
{
	size_t made = h->used > h->docs ? h->used - h->docs : 0;

	return made < h->cap ? h->cap - made : 0;
}

/* May live memory grow from `old` to `new` bytes? Counts the test switch. */
static bool may_grow(struct host *h, size_t old, size_t new)
{
	if (new <= old)
		return true;
	if (h->fail_after == 0)
		goto refuse;
	if (!h->converting && new - old > room(h))
		goto refuse;
	if (h->fail_after > 0)
		h->fail_after--;
	h->refused_old = h->refused_new = 0;
	if (h->depth > 0 && h->exhausted == RUN_OK && new - old >= CHARGE_MIN)
		charge_bytes(h, new - old);
	return true;
refuse:
	/*
	** Lua collects and asks again for the very same block (lmem.c,
	** tryagain; lx_malloc does the same): refused twice, the allocation
	** fails for good, and the call that asked is the one to blame even
	** if it catches the memory error with pcall, and fills the cap for
	** the rules after it.  A first refusal the collection resolves is
	** the ordinary pace of a heap near its cap.
	*/
	if (h->refused_old == old && h->refused_new == new)
		h->mem_failed = true;
	h->refused_old = old;
	h->refused_new = new;
	h->mem_hit = true;
	return false;
}

/* lmem.c's contract: nsize 0 frees; with ptr NULL, osize is a type tag. */
static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct host *h = ud;
	size_t old = ptr ? osize : 0;
	void *p;

	if (nsize == 0) {
		lpool_realloc(&h->pool, ptr, osize, 0);
		h->used -= old;
		return NULL;
	}
	if (!may_grow(h, old, nsize))
		return NULL;
	p = lpool_realloc(&h->pool, ptr, old, nsize);
	if (p)
		h->used = h->used - old + nsize;
	return p;
}

union lx_hdr {
	size_t n;
	max_align_t align;
};

void *lx_host(lua_State *L)
{
	return host_of(L);
}

/*
** Memory for PCRE2, under the state's cap.  Garbage counts against the cap
** until the collector runs; Lua collects and retries when one of its own
** allocations is refused, and so do we, or a rule that dropped a big table
** would make the next rule's re.* calls fail.  (The caller keeps what it
** uses on the Lua stack; only our own C finalizers can run.)
*/
void *lx_malloc(size_t n, void *ud)
{
	struct host *h = ud;
	union lx_hdr *p;
	bool hit = h->mem_hit;

	if (n > SIZE_MAX - sizeof(*p))
		return NULL;
	if (!may_grow(h, 0, n + sizeof(*p))) {
		h->mem_hit = hit;
		lua_gc(h->L, LUA_GCCOLLECT, 0);
		if (!may_grow(h, 0, n + sizeof(*p)))
			return NULL;
	}
	p = malloc(n + sizeof(*p));
	if (!p)
		return NULL;
	p->n = n + sizeof(*p);
	h->used += p->n;
	return p + 1;
}

void lx_free(void *ptr, void *ud)
{
	struct host *h = ud;
	union lx_hdr *p;

	if (!ptr)
		return;
	p = (union lx_hdr *)ptr - 1;
	h->used -= p->n;
	free(p);
}

size_t luahost_mem_used(lua_State *L)
{
	return host_of(L)->used;
}

size_t luahost_mem_docs(lua_State *L)
{
	return host_of(L)->docs;
}

void luahost_forget_docs(lua_State *L)
{
	host_of(L)->docs = 0;
}

size_t lx_convert_begin(lua_State *L)
{
	struct host *h = host_of(L);

	h->converting++;
	return h->used;
}

void lx_convert_end(lua_State *L, size_t mark, bool count)
{
	struct host *h = host_of(L);

	if (--h->converting == 0 && count && h->used > mark)
		h->docs += h->used - mark;
}

void luahost_test_fail_after(lua_State *L, long n)
{
	host_of(L)->fail_after = n < 0 ? -1 : n;
}

/* }====== */

/* {====== budgets */

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void on_hook(lua_State *L, lua_Debug *ar);

/* Mark the call as exhausted and make every further instruction raise. */
static void exhaust(lua_State *L, struct host *h, enum run_state why)
{
	h->exhausted = why;
	h->left = 0;
	lua_sethook(L, on_hook, LUA_MASKCOUNT | LUA_MASKLINE, 1);
}

static const char *exhausted_msg(const struct host *h)
{
	return h->exhausted == RUN_TIME ? "time limit exceeded"
					: "instruction budget exceeded";
}

/* Count hook: every `step` instructions; after exhaustion, every one. */
static void on_hook(lua_State *L, lua_Debug *ar)
{
	struct host *h = host_of(L);
	unsigned long step;

	(void)ar;
	if (h->exhausted == RUN_OK) {
		if (h->left <= h->step) {
			exhaust(L, h, RUN_INSNS);
		} else if (now_ns() >= h->deadline) {
			exhaust(L, h, RUN_TIME);
		} else {
			h->left -= h->step;
			step = h->left < h->hook_step ? h->left : h->hook_step;
			if (step != h->step) {
				h->step = step;
				lua_sethook(L, on_hook, LUA_MASKCOUNT, (int)step);
			}
			return;
		}
	}
	luaL_where(L, 0);	/* level 0 is the running Lua function */
	lua_pushstring(L, exhausted_msg(h));
	lua_concat(L, 2);
	lua_error(L);
}

/*
** Work done inside C functions (string.rep, table.concat, gsub...) is not
** seen by the count hook, but it allocates: charge large allocations to
** the budget and look at the clock every CLOCK_BYTES of them.  Only arms
** the hook; the next instruction raises.
*/
static void charge_bytes(struct host *h, size_t n)
{
	unsigned long cost = (unsigned long)(n / BYTES_PER_INSN);

	if (cost >= h->left) {
		exhaust(h->L, h, RUN_INSNS);
		return;
	}
	h->left -= cost;
	h->since_clock += n;
	if (h->since_clock >= CLOCK_BYTES) {
		h->since_clock = 0;
		if (now_ns() >= h->deadline)
			exhaust(h->L, h, RUN_TIME);
	}
}

/* The call's own budget, or what is left of a shared one if that is less. */
static void arm_budget(lua_State *L, struct host *h)
{
	int64_t now = now_ns();

	h->armed = h->budget;
	h->deadline = now + (int64_t)h->time_ms * 1000000;
	h->hook_step = HOOK_STEP;
	h->share_insns_hit = h->share_time_hit = false;
	if (h->share_what) {
		h->hook_step = SHARE_STEP;
		if (h->share_left < h->armed) {
			h->armed = h->share_left ? h->share_left : 1;	/* 1: raise at once */
			h->share_insns_hit = true;
		}
		if (h->share_deadline < h->deadline) {
			h->deadline = h->share_deadline;
			h->share_time_hit = true;
		}
	}
	h->left = h->armed;
	h->step = h->armed < h->hook_step ? h->armed : h->hook_step;
	h->exhausted = RUN_OK;
	h->mem_hit = h->mem_failed = false;
	h->refused_old = h->refused_new = 0;	/* another call's refusal is not this one's */
	h->since_clock = 0;
	lua_sethook(L, on_hook, LUA_MASKCOUNT, (int)h->step);
}

/*
** Take what the call that just ended used from the shared budget: what the
** hook counted, plus the step it was in (the hook cannot say how far).
*/
static void charge_share(struct host *h)
{
	unsigned long used = h->armed - h->left + h->step;

	if (!h->share_what)
		return;
	if (h->exhausted == RUN_INSNS && h->share_insns_hit)
		used = h->share_left;
	h->share_left = used < h->share_left ? h->share_left - used : 0;
}

void luahost_share_begin(lua_State *L, unsigned long instructions, unsigned long time_ms,
			 const char *what)
{
	struct host *h = host_of(L);

	h->share_what = what;
	h->share_insns = h->share_left = instructions;
	h->share_ms = time_ms;
	h->share_deadline = now_ns() + (int64_t)time_ms * 1000000;
}

void luahost_share_end(lua_State *L)
{
	host_of(L)->share_what = NULL;
}

void lx_charge(lua_State *L, lua_Integer cost)
{
	struct host *h = host_of(L);

	if (h->depth == 0 || cost <= 0)
		return;
	if (h->exhausted == RUN_OK && (lua_Unsigned)cost < h->left) {
		h->left -= (unsigned long)cost;
		return;
	}
	if (h->exhausted == RUN_OK)
		exhaust(L, h, RUN_INSNS);
	luaL_error(L, "%s", exhausted_msg(h));
}

void lx_check_clock(lua_State *L)
{
	struct host *h = host_of(L);

	if (h->depth == 0 || h->exhausted != RUN_OK)
		return;
	if (now_ns() < h->deadline)
		return;
	exhaust(L, h, RUN_TIME);
	luaL_error(L, "%s", exhausted_msg(h));
}

bool lx_exhausted(lua_State *L)
{
	return host_of(L)->exhausted != RUN_OK;
}

bool lx_verbose(lua_State *L)
{
	return host_of(L)->verbose;
}

int lx_print_room(lua_State *L, size_t n)
{
	struct host *h = host_of(L);

	if (!h->verbose || h->printed > LX_PRINT_MAX)
		return 0;
	h->printed += n;
	return h->printed <= LX_PRINT_MAX ? 1 : -1;
}

/* }====== */

/* {====== sandbox setup */

static int on_panic(lua_State *L)
{
	const char *msg = lua_tostring(L, -1);

	fprintf(stderr, "luahost: unprotected lua error: %s\n",
		msg ? msg : "(error object is not a string)");
	fflush(stderr);
	abort();
	return 0;
}

static int undefined_global(lua_State *L)
{
	if (lua_type(L, 2) == LUA_TSTRING)
		return luaL_error(L, "undefined global '%s'", lua_tostring(L, 2));
	return luaL_error(L, "undefined global (a %s key)", luaL_typename(L, 2));
}

/*
** __newindex of a chunk's _ENV: a name it did not have.  A rule must not set
** globals; the first such write (of a value) is kept, as { name, line }, for
** the error that says so (luahost_env_line), which would otherwise point at
** the whole chunk.  A name set and cleared gives its place to the next one.
*/
static int env_newindex(lua_State *L)
{
	lua_Debug ar;
	bool kept = false;

	lua_settop(L, 3);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &env_line_key);	/* 4 */
	lua_pushvalue(L, 1);
	if (lua_rawget(L, 4) == LUA_TTABLE) {			/* 5: { name, line } */
		lua_rawgeti(L, 5, 1);				/* 6 */
		/* the same name again, or the chunk still has the kept one */
		kept = lua_rawequal(L, 6, 2) || lua_rawget(L, 1) != LUA_TNIL;
	}
	if (!kept && !lua_isnil(L, 3) && lua_getstack(L, 1, &ar) &&
	    lua_getinfo(L, "l", &ar) && ar.currentline > 0) {
		if (!lua_istable(L, 5)) {
			lua_settop(L, 4);
			lua_createtable(L, 2, 0);
			lua_pushvalue(L, 1);
			lua_pushvalue(L, 5);
			lua_rawset(L, 4);
		}
		lua_pushvalue(L, 2);
		lua_rawseti(L, 5, 1);
		lua_pushinteger(L, ar.currentline);
		lua_rawseti(L, 5, 2);
	}
	lua_settop(L, 3);
	lua_rawset(L, 1);
	return 0;
}

int luahost_env_line(lua_State *L, int env)
{
	int top = lua_gettop(L), line = 0;

	env = lua_absindex(L, env);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &env_line_key);
	lua_pushvalue(L, env);
	if (lua_rawget(L, -2) == LUA_TTABLE) {
		lua_rawgeti(L, -1, 1);
		if (lua_rawget(L, env) != LUA_TNIL) {	/* the chunk still has it */
			lua_rawgeti(L, -2, 2);
			line = (int)lua_tointeger(L, -1);
		}
	}
	lua_settop(L, top);
	return line;
}

/* Open the allowed libraries and drop what a sandbox must not have. */
static void open_libs(lua_State *L)
{
	static const luaL_Reg libs[] = {
		{ LUA_GNAME, luaopen_base },
		{ LUA_TABLIBNAME, luaopen_table },
		{ LUA_STRLIBNAME, luaopen_string },
		{ LUA_MATHLIBNAME, luaopen_math },
		{ LUA_UTF8LIBNAME, luaopen_utf8 },
		{ NULL, NULL }
	};
	static const char *const drop[] = {
		"dofile", "loadfile", "load", "loadstring", "require",
		"collectgarbage", "warn", "module", "setfenv", "getfenv"
	};

	for (const luaL_Reg *l = libs; l->name; l++) {
		luaL_requiref(L, l->name, l->func, 1);
		lua_pop(L, 1);
	}
	for (size_t i = 0; i < countof(drop); i++) {
		lua_pushnil(L);
		lua_setglobal(L, drop[i]);
	}
	lua_getglobal(L, LUA_MATHLIBNAME);
	lua_getfield(L, -1, "randomseed");
	lua_pushinteger(L, 0);
	lua_call(L, 1, 0);		/* 5.4 seeds randomly: fix it */
	lua_pushnil(L);
	lua_setfield(L, -2, "randomseed");
	lua_pop(L, 1);
	lua_getglobal(L, LUA_STRLIBNAME);
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lua_pop(L, 1);
}

/* Install re, k8s and sk, then hide every library table behind a proxy. */
static void protect_globals(lua_State *L)
{
	static const char *const libs[] = {
		LUA_STRLIBNAME, LUA_TABLIBNAME, LUA_MATHLIBNAME,
		LUA_UTF8LIBNAME, "re", "k8s", "sk"
	};

	lx_open_re(L);
	lua_setglobal(L, "re");
	lx_open_k8s(L);
	lua_setglobal(L, "k8s");
	lx_open_sk(L);
	lua_setglobal(L, "sk");
	for (size_t i = 0; i < countof(libs); i++) {
		lua_getglobal(L, libs[i]);
		lx_push_proxy(L, -1, libs[i], false);
		lua_setglobal(L, libs[i]);
		lua_pop(L, 1);
	}
	/* Strings index the real table; nobody can reach the metatable. */
	lua_pushliteral(L, "");
	lua_getmetatable(L, -1);
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 2);

	lx_proxy_init(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
	lx_push_proxy(L, -1, "_G", false);
	lua_setfield(L, -2, "_G");
	lua_createtable(L, 0, 2);	/* the globals' own metatable */
	lua_pushcfunction(L, undefined_global);
	lua_setfield(L, -2, "__index");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);
	lua_createtable(L, 0, 3);	/* shared by every chunk's _ENV */
	lua_pushvalue(L, -2);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, env_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_rawsetp(L, LUA_REGISTRYINDEX, &env_mt_key);
	lua_pop(L, 1);
	lua_createtable(L, 0, 0);	/* env_line_key: weak keys, chunks come and go */
	lua_createtable(L, 0, 1);
	lua_pushliteral(L, "k");
	lua_setfield(L, -2, "__mode");
	lua_setmetatable(L, -2);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &env_line_key);
}

static int setup(lua_State *L)
{
	open_libs(L);
	lx_patch_libs(L);
	protect_globals(L);
	return 0;
}

/* {====== the watchdog */

/*
** The budgets are looked at by the count hook, between Lua instructions,
** and after each pattern call (lx_base.c).  One C call that does not return
** escapes them all: a Lua pattern that backtracks (".-.-.-.-.-b" over a few
** KB is years of work in one string.find).  A thread looks at every state
** twice a second; one still in the same outermost call WATCH_GRACE_MS past
** its wall-clock limit ends the process with exit status 2.  Both programs
** write their output after their Lua calls, so nothing is half-written.
*/
#define WATCH_TICK_MS	500
#define WATCH_GRACE_MS	10000

static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static struct host *watch_list;
static bool watch_running;		/* in this process (a fork has none) */
static pthread_once_t watch_once = PTHREAD_ONCE_INIT;

static void *watch_main(void *arg)
{
	const struct timespec tick = { 0, WATCH_TICK_MS * 1000000L };
	char msg[400];

	(void)arg;
	for (;;) {
		int64_t now;

		nanosleep(&tick, NULL);
		now = now_ns();
		pthread_mutex_lock(&watch_lock);
		for (struct host *h = watch_list; h; h = h->watch_next) {
			int64_t at = atomic_load_explicit(&h->stuck_at, memory_order_acquire);

			if (at && now > at) {
				char where[300] = "";
				int n;

				/* h->where is not written while its call is stuck */
				if (h->where.file && h->where.line)
					snprintf(where, sizeof where, "%s:%u:%u", h->where.file,
						 h->where.line, h->where.col);
				n = snprintf(msg, sizeof msg, "%s: error: %s%s%s%s is still running "
					     "%lu s past its time limit, inside a function that "
					     "budgets cannot interrupt (such as a backtracking string "
					     "pattern); stopping\n",
					     *where ? where : util_progname,
					     h->where_what ? h->where_what : "a Lua call",
					     h->where_name ? " '" : "",
					     h->where_name ? h->where_name : "",
					     h->where_name ? "'" : "",
					     (unsigned long)(WATCH_GRACE_MS / 1000));
				if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0)
					n = 0;
				_exit(2);
			}
		}
		pthread_mutex_unlock(&watch_lock);
	}
	return NULL;
}

static void watch_lock_all(void)
{
	pthread_mutex_lock(&watch_lock);
}

static void watch_unlock_all(void)
{
	pthread_mutex_unlock(&watch_lock);
}

static void watch_forked(void)
{
	watch_running = false;	/* threads do not survive fork() */
	pthread_mutex_unlock(&watch_lock);
}

static void watch_init(void)
{
	pthread_atfork(watch_lock_all, watch_unlock_all, watch_forked);
}

/*
** Caller holds watch_lock.  The watchdog blocks the signals that ask the
** process to stop (it inherits the mask it is created with): they go to
** the thread that runs the program, which may hold them off (sparkgen does
** while it commits a tree).
*/
static void watch_start(void)
{
	pthread_attr_t a;
	pthread_t t;
	sigset_t stop, saved;

	if (pthread_attr_init(&a) != 0)
		return;
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	util_stop_signals(&stop);
	pthread_sigmask(SIG_BLOCK, &stop, &saved);
	watch_running = pthread_create(&t, &a, watch_main, NULL) == 0;
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	pthread_attr_destroy(&a);
}

static void watch_add(struct host *h)
{
	pthread_once(&watch_once, watch_init);
	pthread_mutex_lock(&watch_lock);
	if (!watch_running)
		watch_start();
	h->watch_prev = NULL;
	h->watch_next = watch_list;
	if (watch_list)
		watch_list->watch_prev = h;
	watch_list = h;
	pthread_mutex_unlock(&watch_lock);
}

static void watch_remove(struct host *h)
{
	pthread_mutex_lock(&watch_lock);
	if (h->watch_prev)
		h->watch_prev->watch_next = h->watch_next;
	else
		watch_list = h->watch_next;
	if (h->watch_next)
		h->watch_next->watch_prev = h->watch_prev;
	pthread_mutex_unlock(&watch_lock);
}

/* }====== */

static void host_limits(struct host *h, const struct luahost_limits *lim)
{
	h->cap = lim && lim->mem_bytes ? lim->mem_bytes : LUAHOST_DEFAULT_MEM;
	h->budget = lim && lim->instructions ? lim->instructions : DEFAULT_INSNS;
	h->time_ms = lim && lim->time_ms ? lim->time_ms : DEFAULT_TIME_MS;
}

void luahost_set_limits(lua_State *L, const struct luahost_limits *lim)
{
	host_limits(host_of(L), lim);
}

int luahost_deterministic(lua_State *L)
{
	return lx_deterministic(L);
}

lua_State *luahost_new(const struct luahost_limits *lim, bool verbose)
{
	struct host *h;
	lua_State *L;

	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	host_limits(h, lim);
	h->fail_after = -1;
	h->verbose = verbose;
	lpool_init(&h->pool);
	L = lua_newstate(capped_alloc, h);
	if (!L)
		goto out_free_host;
	*(struct host **)lua_getextraspace(L) = h;
	h->L = L;
	lua_atpanic(L, on_panic);
	lua_gc(L, LUA_GCINC, GC_PAUSE, 0, 0);
	lua_pushcfunction(L, setup);
	if (lua_pcall(L, 0, 0, 0) != LUA_OK)
		goto out_close;
	watch_add(h);
	return L;
out_close:
	lua_close(L);
out_free_host:
	lpool_release(&h->pool);
	free(h);
	return NULL;
}

void luahost_close(lua_State *L)
{
	struct host *h;

	if (!L)
		return;
	h = host_of(L);
	watch_remove(h);
	lua_close(L);
	lpool_release(&h->pool);
	free(h);
}

/* }====== */

/* {====== positions in messages */

/* Lua's short_src for a chunk name (luaO_chunkid for '@' and '=' names). */
static void short_src(char out[LUA_IDSIZE], const char *name)
{
	size_t len = strlen(name), keep = LUA_IDSIZE - 4;

	out[0] = '\0';
	if (*name == '=' || (*name == '@' && len <= LUA_IDSIZE)) {
		snprintf(out, LUA_IDSIZE, "%s", name + 1);
	} else if (*name == '@') {	/* "..." and the last characters */
		memcpy(out, "...", 3);
		memcpy(out + 3, name + len - keep, keep + 1);
	}
}

/*
** Find "src:line:" at the front of msg's first line.  Returns the line (0
** when there is none) and sets *srclen to the length of src and *skip to
** the length of the whole prefix, including one following space.
*/
static unsigned parse_where(const char *msg, size_t *srclen, size_t *skip)
{
	const char *eol = strchr(msg, '\n');

	for (const char *c = strchr(msg, ':'); c && (!eol || c < eol);
	     c = strchr(c + 1, ':')) {
		const char *d = c + 1;
		unsigned long line = 0;

		while (*d >= '0' && *d <= '9' && line < UINT_MAX / 10)
			line = line * 10 + (unsigned long)(*d++ - '0');
		if (d > c + 1 && *d == ':' && c > msg && line > 0) {
			*srclen = (size_t)(c - msg);
			*skip = (size_t)(d + 1 - msg) + (d[1] == ' ');
			return (unsigned)line;
		}
	}
	return 0;
}

static const char *intern_source(const char *source)
{
	return util_intern(*source == '@' || *source == '=' ? source + 1 : source);
}

/*
** Find where the error happened: the frame whose short_src starts msg
** (error(msg, 2) names the caller's caller), else the innermost Lua frame.
*/
static void find_position(lua_State *L, struct host *h, const char *msg)
{
	size_t srclen = 0, skip = 0;
	unsigned line = msg ? parse_where(msg, &srclen, &skip) : 0;
	bool have_first = false;
	lua_Debug ar;

	h->err_file = NULL;
	h->err_line = 0;
	h->err_skip = 0;
	for (int lvl = 1; lvl < 256 && lua_getstack(L, lvl, &ar); lvl++) {
		if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0)
			continue;
		if (line && strlen(ar.short_src) == srclen &&
		    memcmp(ar.short_src, msg, srclen) == 0) {
			h->err_file = intern_source(ar.source);
			h->err_line = line;
			h->err_skip = skip;
			return;
		}
		if (!have_first) {
			have_first = true;
			h->err_file = intern_source(ar.source);
			h->err_line = (unsigned)ar.currentline;
		}
	}
}

static int call_tostring(lua_State *L)
{
	luaL_tolstring(L, 1, NULL);
	return 1;
}

/*
** Message handler: describe non-string errors (a __tostring is called
** protected and under the running budget, so it cannot hang), note the
** position, append a traceback.
*/
static int on_error(lua_State *L)
{
	struct host *h = host_of(L);
	const char *msg = NULL;
	int t = lua_type(L, 1);

	if (t == LUA_TSTRING || t == LUA_TNUMBER) {
		msg = lua_tostring(L, 1);
	} else {
		if (luaL_getmetafield(L, 1, "__tostring") != LUA_TNIL) {
			lua_pop(L, 1);
			lua_pushcfunction(L, call_tostring);
			lua_pushvalue(L, 1);
			if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TSTRING)
				msg = lua_tostring(L, -1);
		}
		if (!msg) {
			if (t == LUA_TBOOLEAN)
				msg = lua_pushfstring(L, "error object is a boolean value (%s)",
						      lua_toboolean(L, 1) ? "true" : "false");
			else
				msg = lua_pushfstring(L, "error object is a %s value",
						      luaL_typename(L, 1));
		}
	}
	find_position(L, h, t == LUA_TSTRING ? msg : NULL);
	luaL_traceback(L, L, msg, 1);
	return 1;
}

/* }====== */

/* {====== loading and calling */

struct load_args {
	const char *name;
	const char *const *p;	/* the chunk: pieces read in turn */
	const size_t *n;
	int count, next;
	const char *mode;	/* "t"; "b" only for luahost_dump's output or embed's */
	int status;
};

static const char *load_reader(lua_State *L, void *ud, size_t *size)
{
	struct load_args *a = ud;

	(void)L;
	while (a->next < a->count && a->n[a->next] == 0)
		a->next++;
	if (a->next == a->count) {
		*size = 0;
		return NULL;
	}
	*size = a->n[a->next];
	return a->p[a->next++];
}

static int do_load(lua_State *L)
{
	struct load_args *a = lua_touserdata(L, 1);

	a->status = lua_load(L, load_reader, a, a->name, a->mode);
	if (a->status != LUA_OK)
		return lua_error(L);
	lua_createtable(L, 0, 4);		/* the chunk's own _ENV */
	lua_rawgetp(L, LUA_REGISTRYINDEX, &env_mt_key);
	lua_setmetatable(L, -2);
	if (!lua_setupvalue(L, -2, 1))
		lua_pop(L, 1);
	return 1;
}

static struct diag_pos no_pos(void)
{
	struct diag_pos pos = { NULL, 0, 0 };

	return pos;
}

static int mem_error(struct host *h, const char *code, struct diag_pos pos,
		     struct diag_list *dl)
{
	if (!h->mem_hit)
		return diag_addf(dl, DIAG_ERROR, code, pos, "out of memory");
	if (h->cap >= (1u << 20))
		return diag_addf(dl, DIAG_ERROR, code, pos,
				 "memory limit exceeded (%zu MiB)", h->cap >> 20);
	return diag_addf(dl, DIAG_ERROR, code, pos,
			 "memory limit exceeded (%zu bytes)", h->cap);
}

static int load_mode(lua_State *L, const char *chunkname, const char *const p[],
		     const size_t n[], int count, const char *mode, const char *code,
		     struct diag_list *dl)
{
	struct host *h = host_of(L);
	struct load_args a = { chunkname, p, n, count, 0, mode, LUA_OK };
	struct diag_pos pos = no_pos();
	char src[LUA_IDSIZE];
	const char *msg;
	size_t srclen = 0, skip = 0;
	int st;

	if (!lua_checkstack(L, 2))
		return diag_addf(dl, DIAG_ERROR, code, pos, "lua stack overflow");
	h->mem_hit = h->mem_failed = false;
	lua_pushcfunction(L, do_load);
	lua_pushlightuserdata(L, &a);
	st = lua_pcall(L, 1, 1, 0);
	if (st == LUA_OK)
		return 0;
	if (*chunkname == '@' || *chunkname == '=')
		pos.file = util_intern(chunkname + 1);
	if (st == LUA_ERRMEM || a.status == LUA_ERRMEM) {
		lua_pop(L, 1);
		return mem_error(h, code, pos, dl);
	}
	msg = lua_tostring(L, -1);
	if (!msg)
		msg = "cannot load chunk";
	short_src(src, chunkname);
	pos.line = parse_where(msg, &srclen, &skip);
	if (pos.line && srclen == strlen(src) && memcmp(msg, src, srclen) == 0) {
		msg += skip;
	} else {
		pos.line = 0;
	}
	diag_addf(dl, DIAG_ERROR, code, pos, "%s", msg);
	lua_pop(L, 1);
	return -1;
}

int luahost_load(lua_State *L, const char *chunkname, const char *buf,
		 size_t len, const char *code, struct diag_list *dl)
{
	return load_mode(L, chunkname, &buf, &len, 1, "t", code, dl);
}

int luahost_load_compiled(lua_State *L, const char *chunkname, const char *bc,
			  size_t len, const char *code, struct diag_list *dl)
{
	return load_mode(L, chunkname, &bc, &len, 1, "b", code, dl);
}

int luahost_load_pieces(lua_State *L, const char *chunkname, const char *const p[],
			const size_t n[], int count, const char *code,
			struct diag_list *dl)
{
	return load_mode(L, chunkname, p, n, count, "b", code, dl);
}

static int dump_writer(lua_State *L, const void *p, size_t n, void *ud)
{
	(void)L;
	return strbuf_add(ud, p, n) < 0;
}

int luahost_dump(lua_State *L, char **out, size_t *outlen)
{
	struct strbuf sb = STRBUF_INIT;

	*out = NULL;
	*outlen = 0;
	strbuf_init(&sb);
	if (lua_dump(L, dump_writer, &sb, 0) != 0 || sb.oom) {
		strbuf_release(&sb);
		return -1;
	}
	*out = strbuf_detach(&sb, outlen);
	return 0;
}

/* Turn a failed call (its message on top) into a diagnostic; pops it. */
static int report(lua_State *L, struct host *h, int st, const char *code,
		  struct diag_list *dl)
{
	struct diag_pos pos = { h->err_file, h->err_line, 0 };
	const char *msg, *trace;
	size_t len = 0;

	if (h->exhausted == RUN_INSNS && h->share_insns_hit) {
		diag_addf(dl, DIAG_ERROR, code, pos, "%s (%lu instructions for %s)",
			  exhausted_msg(h), h->share_insns, h->share_what);
	} else if (h->exhausted == RUN_TIME && h->share_time_hit) {
		diag_addf(dl, DIAG_ERROR, code, pos, "%s (%lu ms for %s)",
			  exhausted_msg(h), h->share_ms, h->share_what);
	} else if (h->exhausted == RUN_INSNS) {
		diag_addf(dl, DIAG_ERROR, code, pos, "%s (%lu instructions)",
			  exhausted_msg(h), h->budget);
	} else if (h->exhausted == RUN_TIME) {
		diag_addf(dl, DIAG_ERROR, code, pos, "%s (%lu ms)",
			  exhausted_msg(h), h->time_ms);
	} else if (st == LUA_ERRMEM) {
		mem_error(h, code, no_pos(), dl);
	} else {
		msg = lua_tolstring(L, -1, &len);
		if (!msg) {
			msg = "error object is not a string";
			len = strlen(msg);
		} else if (st == LUA_ERRRUN && h->err_skip <= len) {
			msg += h->err_skip;
			len -= h->err_skip;
		}
		trace = strstr(msg, TRACE_MARK);
		diag_addf(dl, DIAG_ERROR, code, pos, "%.*s",
			  (int)(trace ? (size_t)(trace - msg) : len), msg);
		if (trace && h->verbose)
			diag_hintf(dl, "%s", trace + 1);
	}
	lua_pop(L, 1);
	return -1;
}

void luahost_set_where(lua_State *L, struct diag_pos pos, const char *what,
		       const char *name)
{
	struct host *h = host_of(L);

	h->where = pos;
	h->where_what = what;
	h->where_name = name;
}

int luahost_pcall(lua_State *L, int nargs, int nresults, const char *code,
		  struct diag_list *dl)
{
	struct host *h = host_of(L);
	int fn = lua_gettop(L) - nargs, st;
	bool outer = h->depth == 0;
	unsigned converting = h->converting;

	if (!lua_checkstack(L, 2)) {
		lua_settop(L, fn - 1);
		return diag_addf(dl, DIAG_ERROR, code, no_pos(), "lua stack overflow");
	}
	lua_pushcfunction(L, on_error);
	lua_insert(L, fn);
	if (outer) {
		arm_budget(L, h);
		h->spent = h->spent_mem = false;
		atomic_store_explicit(&h->stuck_at, h->deadline + (int64_t)WATCH_GRACE_MS * 1000000,
				      memory_order_release);	/* after h->where */
	}
	h->err_file = NULL;
	h->err_line = 0;
	h->err_skip = 0;
	h->depth++;
	st = lua_pcall(L, nargs, nresults, fn);
	h->depth--;
	h->converting = converting;	/* a conversion may have raised */
	if (outer) {
		atomic_store_explicit(&h->stuck_at, 0, memory_order_relaxed);
		lua_sethook(L, NULL, 0, 0);
		charge_share(h);
		h->where.file = NULL;
		h->where_what = h->where_name = NULL;
	}
	if (st == LUA_OK && h->exhausted == RUN_OK && !(outer && h->mem_failed)) {
		lua_remove(L, fn);
		return 0;
	}
	if (st == LUA_OK && h->exhausted != RUN_OK) {	/* a C function swallowed the budget error */
		lua_settop(L, fn);
		lua_pushstring(L, exhausted_msg(h));
	} else if (st == LUA_OK) {	/* a pcall swallowed the memory error */
		lua_settop(L, fn);
		lua_pushnil(L);
		st = LUA_ERRMEM;
	}
	if (outer) {
		h->spent = h->exhausted != RUN_OK || st == LUA_ERRMEM || h->mem_hit;
		h->spent_mem = h->exhausted == RUN_OK && (st == LUA_ERRMEM || h->mem_failed);
	}
	report(L, h, st, code, dl);
	lua_settop(L, fn - 1);
	return -1;
}

bool luahost_spent(lua_State *L)
{
	return host_of(L)->spent;
}

bool luahost_spent_memory(lua_State *L)
{
	return host_of(L)->spent_mem;
}

int luahost_cpcall(lua_State *L, lua_CFunction f, void *ud, int nresults,
		   const char *code, struct diag_list *dl)
{
	struct host *h = host_of(L);
	unsigned converting = h->converting;
	int st;

	if (!lua_checkstack(L, 2))
		return diag_addf(dl, DIAG_ERROR, code, no_pos(), "lua stack overflow");
	if (h->depth == 0)
		h->mem_hit = h->mem_failed = false;
	lua_pushcfunction(L, f);
	lua_pushlightuserdata(L, ud);
	st = lua_pcall(L, 1, nresults, 0);
	h->converting = converting;
	if (st == LUA_OK)
		return 0;
	if (st == LUA_ERRMEM) {
		lua_pop(L, 1);
		return mem_error(h, code, no_pos(), dl);
	}
	diag_addf(dl, DIAG_ERROR, code, no_pos(), "%s",
		  lua_isstring(L, -1) ? lua_tostring(L, -1) : "error in host code");
	lua_pop(L, 1);
	return -1;
}

void luahost_setglobal(lua_State *L, const char *name)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
	if (lua_type(L, -2) == LUA_TTABLE && !lx_is_readonly(L, -2)) {
		lx_push_proxy(L, -2, name, true);
		lua_setfield(L, -2, name);	/* the globals have no __newindex */
	} else {
		lua_pushvalue(L, -2);
		lua_setfield(L, -2, name);
	}
	lua_pop(L, 2);
}

/* }====== */

/*
** timerun.c: run one command and print "SECONDS MAX_RSS_KIB EXIT_CODE" on
** stderr.  bench/measure.py calls it for every run: a small C parent
** keeps the child's peak RSS honest (a child forked from Python starts out
** with Python's resident pages, and Linux carries that peak across exec).
**   timerun OUT [--stdin FILE] -- CMD ARGS...   (stdout of CMD goes to OUT)
*/
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *in = NULL;
	struct rusage ru;
	int i = 2, status, rc;
	double t;
	pid_t pid;

	if (argc > 3 && !strcmp(argv[2], "--stdin")) {
		in = argv[3];
		i = 4;
	}
	if (argc < i + 2 || strcmp(argv[i], "--")) {
		fprintf(stderr, "usage: timerun OUT [--stdin FILE] -- CMD ARGS...\n");
		return 2;
	}
	t = now();
	if ((pid = fork()) < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(127);
		if (in && ((fd = open(in, O_RDONLY)) < 0 || dup2(fd, 0) < 0))
			_exit(127);
		execvp(argv[i + 1], argv + i + 1);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("wait4");
		return 2;
	}
	t = now() - t;
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	fprintf(stderr, "%.6f %ld %d\n", t, ru.ru_maxrss, rc);
	return 0;
}

/*
** base_read.c: the baseline for sparkgen's no-op regeneration.  Walks
** every directory named on the command line and reads each regular file
** whole, doing nothing with the bytes: the least a tool must do to learn
** that a generated tree is already up to date.  Prints "FILES BYTES".
*/
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static char buf[1 << 16];
static long files;
static long long bytes;

static int visit(const char *path, const struct stat *st, int type,
		 struct FTW *ftw)
{
	ssize_t got;
	int fd;

	(void)st;
	(void)ftw;
	if (type != FTW_F)
		return 0;
	if ((fd = open(path, O_RDONLY)) < 0) {
		perror(path);
		return -1;
	}
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		bytes += got;
	close(fd);
	files++;
	return got < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (nftw(argv[i], visit, 32, FTW_PHYS) != 0)
			return 2;
	printf("%ld %lld\n", files, bytes);
	return 0;
}

/*
** buildid.c: GNU build IDs of loaded objects (see buildid.h).
*/
#define _GNU_SOURCE	/* dl_iterate_phdr */
#include "buildid.h"

#include <elf.h>
#include <link.h>
#include <string.h>

const unsigned char *buildid_note(const struct dl_phdr_info *info, size_t *len)
{
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const char *p, *end;

		if (ph->p_type != PT_NOTE)
			continue;
		p = (const char *)(info->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)(const void *)p;
			const char *name = p + sizeof *nh;
			const char *desc = name + ((nh->n_namesz + 3) & ~3u);

			if (desc > end || nh->n_descsz > (size_t)(end - desc))
				break;
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
			    !memcmp(name, "GNU", 4) && nh->n_descsz > 0) {
				*len = nh->n_descsz;
				return (const unsigned char *)desc;
			}
			p = desc + ((nh->n_descsz + 3) & ~3u);
		}
	}
	return NULL;
}

struct buildid_find {
	const char *part;
	unsigned char *out;
	size_t cap, len;
	int found;
};

static int buildid_find(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct buildid_find *f = arg;
	const unsigned char *id;
	size_t len;

	(void)size;
	if (!info->dlpi_name || !strstr(info->dlpi_name, f->part))
		return 0;
	f->found = 1;
	if (!f->out)
		return 1;
	id = buildid_note(info, &len);
	if (id && len <= f->cap) {
		memcpy(f->out, id, len);
		f->len = len;
	}
	return 1;	/* the first match decides */
}

size_t buildid_of(const char *part, unsigned char *out, size_t cap)
{
	struct buildid_find f = { part, out, cap, 0, 0 };

	dl_iterate_phdr(buildid_find, &f);
	return f.len;
}

int buildid_loaded(const char *part)
{
	struct buildid_find f = { part, NULL, 0, 0, 0 };

	dl_iterate_phdr(buildid_find, &f);
	return f.found;
}

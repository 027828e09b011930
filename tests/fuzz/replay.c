/* Runs a libFuzzer entry point over every file of the corpus directories
 * (or files) named on the command line, so ctest replays corpora on builds
 * without libFuzzer. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	uint8_t *data = malloc(1 << 20);
	size_t n = data ? fread(data, 1, 1 << 20, f) : 0;
	fclose(f);
	if (!data)
		return -1;
	LLVMFuzzerTestOneInput(data, n);
	free(data);
	return 0;
}

static int run_path(const char *path, unsigned *count)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	DIR *d = opendir(path);
	if (!d)
		return -1;
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char sub[4096];
		snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		if (run_path(sub, count) != 0)
			rc = -1;
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	for (int i = 1; i < argc; i++)
		if (run_path(argv[i], &count) != 0) {
			fprintf(stderr, "cannot read %s\n", argv[i]);
			return 1;
		}
	if (count == 0) {
		fprintf(stderr, "empty corpus\n");
		return 1;
	}
	printf("replayed %u inputs\n", count);
	return 0;
}

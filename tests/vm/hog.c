/* hog MB: allocate MB mebibytes and touch every page, then say so.  Built
 * for i386, x32 and x86_64 like abi.c; a memory limit below MB ends it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	long mb = argc > 1 ? atol(argv[1]) : 64;
	for (long i = 0; i < mb; i++) {
		char *p = malloc(1 << 20);
		if (!p) {
			printf("malloc failed after %ld MB\n", i);
			return 1;
		}
		memset(p, 1, 1 << 20);
	}
	printf("allocated %ld MB\n", mb);
	return 0;
}

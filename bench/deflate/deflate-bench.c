// Deflates every file listed on stdin, one raw deflate stream each (as a ZIP entry), with zlib
// (level 6 = Z_DEFAULT_COMPRESSION, what ZIPFoundation's Data.compress uses) and libdeflate (levels).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#include <libdeflate.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv) {
    char path[4096]; size_t n = 0, cap = 1024; unsigned char **bufs = malloc(cap * sizeof *bufs); size_t *lens = malloc(cap * sizeof *lens); size_t total = 0;
    while (fgets(path, sizeof path, stdin)) {
        path[strcspn(path, "\n")] = 0; FILE *f = fopen(path, "rb"); if (!f) continue;
        fseek(f, 0, SEEK_END); long l = ftell(f); fseek(f, 0, SEEK_SET);
        if (n == cap) { cap *= 2; bufs = realloc(bufs, cap * sizeof *bufs); lens = realloc(lens, cap * sizeof *lens); }
        bufs[n] = malloc(l + 1); lens[n] = fread(bufs[n], 1, l, f); total += lens[n]; n++; fclose(f);
    }
    unsigned char *out = malloc(64 << 20);
    printf("%zu files, %zu bytes\n", n, total);
    for (int rep = 0; rep < 2; rep++) {
    { double t0 = now(); size_t sz = 0; uLong crc = 0;
      for (size_t i = 0; i < n; i++) { z_stream s; memset(&s, 0, sizeof s); deflateInit2(&s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
        s.next_in = bufs[i]; s.avail_in = lens[i]; s.next_out = out; s.avail_out = 64 << 20; deflate(&s, Z_FINISH); sz += s.total_out; deflateEnd(&s);
        crc = crc32(0, bufs[i], lens[i]); }
      printf("zlib 6 (+crc32)        %8.3f s CPU  %10zu bytes  (%.1f%%)\n", now() - t0, sz, 100.0 * sz / total); }
    int levels[] = {1, 4, 6, 9};
    for (int k = 0; k < 4; k++) { double t0 = now(); size_t sz = 0; uint32_t crc = 0;
      struct libdeflate_compressor *c = libdeflate_alloc_compressor(levels[k]);
      for (size_t i = 0; i < n; i++) { sz += libdeflate_deflate_compress(c, bufs[i], lens[i], out, 64 << 20); crc = libdeflate_crc32(0, bufs[i], lens[i]); }
      libdeflate_free_compressor(c);
      printf("libdeflate %d (+crc32)  %8.3f s CPU  %10zu bytes  (%.1f%%)\n", levels[k], now() - t0, sz, 100.0 * sz / total); }
    }
    return 0;
}

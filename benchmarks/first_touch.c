/* benchmarks/first_touch.c — what a page first touched costs on this machine.
 *
 *   gcc -O2 benchmarks/first_touch.c -o /tmp/first_touch && /tmp/first_touch [MiB] [pause_s]
 *
 * Maps MiB of anonymous memory (default 64) three times in 4 KiB pages, three times advised for
 * 2 MiB transparent huge pages right after each other, then three times in huge pages with a
 * pause of pause_s seconds (default 3) before each, and prints the time to touch every page.
 * Why it exists: `materia hull` on 10^6 rows faults in ~80 MB of temporaries; in the VM this
 * project is measured on, 4 KiB pages cost ~0.5 ms per MiB, huge pages ~0.1 ms per MiB — but
 * 2–3 ms per MiB when the memory was freed a few seconds earlier (the guest hands free huge
 * pages back to the host, which must supply them again).  See benchmarks/RESULTS.md (hull).
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double touch_ms(size_t bytes, int huge) {
    char* p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
#ifdef MADV_HUGEPAGE
    if (huge) (void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
    const double t0 = now();
    for (size_t i = 0; i < bytes; i += 4096) p[i] = 1;
    const double t = (now() - t0) * 1e3;
    munmap(p, bytes);
    return t;
}

int main(int argc, char** argv) {
    const size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 64;
    const double pause_s = argc > 2 ? atof(argv[2]) : 3.0;
    const size_t bytes = mib << 20;
    for (int i = 0; i < 3; ++i) {
        const double t = touch_ms(bytes, 0);
        printf("4 KiB pages:                 %7.1f ms  (%.3f ms/MiB)\n", t, t / (double)mib);
    }
    for (int i = 0; i < 3; ++i) {
        const double t = touch_ms(bytes, 1);
        printf("huge pages, back to back:    %7.1f ms  (%.3f ms/MiB)\n", t, t / (double)mib);
    }
    for (int i = 0; i < 3; ++i) {
        usleep((useconds_t)(pause_s * 1e6));
        const double t = touch_ms(bytes, 1);
        printf("huge pages after %.0f s idle: %7.1f ms  (%.3f ms/MiB)\n", pause_s, t, t / (double)mib);
    }
    return 0;
}

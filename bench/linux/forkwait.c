/*
 * Linux's fork + _exit + waitpid, the baseline ProcessBench's target is set against. The parent
 * first writes PAGES pages of its own (as Deed's forking process has them resident), then times
 * ROUNDS forks whose child exits at once; prints the median of RUNS runs in microseconds per fork.
 *
 *   cc -O2 -o /tmp/forkwait bench/linux/forkwait.c && /tmp/forkwait 16 && /tmp/forkwait 1024
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { ROUNDS = 2000, RUNS = 11 };

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    long pages = argc > 1 ? atol(argv[1]) : 16;
    char *touched = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (touched == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    memset(touched, 1, pages * 4096);
    double runs[RUNS];
    for (int r = 0; r < RUNS; r++) {
        struct timespec start, end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (int i = 0; i < ROUNDS; i++) {
            pid_t child = fork();
            if (child == 0) {
                _exit(0);
            }
            if (child < 0 || waitpid(child, NULL, 0) != child) {
                perror("fork/waitpid");
                return 1;
            }
        }
        clock_gettime(CLOCK_MONOTONIC, &end);
        runs[r] = ((end.tv_sec - start.tv_sec) * 1e9 + (end.tv_nsec - start.tv_nsec)) / ROUNDS / 1000.0;
    }
    qsort(runs, RUNS, sizeof runs[0], compare);
    printf("fork + _exit + waitpid, %ld touched pages: median %.1f us (min %.1f, max %.1f) over %d runs of %d\n",
           pages, runs[RUNS / 2], runs[0], runs[RUNS - 1], RUNS, ROUNDS);
    return 0;
}

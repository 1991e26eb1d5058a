/*
 * GF(2) elimination timings with the M4RI library (the reference for @learnability/parity's
 * solver; docs/papers.md §1). For each n it builds a planted parity system — m = n + extra rows of
 * uniform bits x and a label column y = <s, x> mod 2 for a uniform secret s — and times reducing
 * the m × (n + 1) augmented matrix to row echelon form (--full 0, what a solver needs before a
 * cheap back-substitution) or reduced row echelon form (--full 1, s read off directly). The
 * matrix is copied before each repeat (outside the timed region). After the first repeat it
 * back-substitutes (untimed) and checks the rank and that the solution equals s.
 *
 * Build: cc -O2 -o gf2_m4ri gf2_m4ri.c -lm4ri -lm
 * Usage: gf2_m4ri [--extra E] [--repeats R] [--method echelonize|m4ri|pluq] [--full 0|1] n1 n2 ...
 * Output: one JSON document on stdout.
 */
#include <m4ri/m4ri.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rng_state = 20221128ULL;

/*
 * SplitMix64 (Steele, Lea, Flood 2014). Every output bit is a nonlinear function of the state:
 * a generator whose low bits are GF(2)-linear in its state (xorshift64*, for one) makes
 * bit matrices of deficient rank, which would make this benchmark measure the wrong thing.
 */
static uint64_t next_u64(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Reduces A to (reduced, if full) row echelon form with the chosen method; returns the rank. */
static rci_t reduce(mzd_t *A, const char *method, int full) {
  if (strcmp(method, "m4ri") == 0) return mzd_echelonize_m4ri(A, full, 0);
  if (strcmp(method, "pluq") == 0) return mzd_echelonize_pluq(A, full);
  return mzd_echelonize(A, full);
}

/* Back-substitution on an echelon form of rank n with pivots on the diagonal; 1 if it gives s. */
static int recovers(const mzd_t *A, int n, const int *secret) {
  int *s = calloc(n, sizeof(int));
  int ok = 1;
  for (int i = n - 1; i >= 0 && ok; i--) {
    if (mzd_read_bit(A, i, i) != 1) ok = 0;
    int v = mzd_read_bit(A, i, n);
    for (int j = i + 1; j < n; j++) v ^= mzd_read_bit(A, i, j) & s[j];
    s[i] = v;
    if (s[i] != secret[i]) ok = 0;
  }
  free(s);
  return ok;
}

int main(int argc, char **argv) {
  int extra = 20, repeats = 5, full = 0;
  const char *method = "echelonize";
  int first = 1;
  printf("{\"library\":\"m4ri\",\"results\":[");
  for (int a = 1; a < argc; a++) {
    if (strcmp(argv[a], "--extra") == 0 && a + 1 < argc) { extra = atoi(argv[++a]); continue; }
    if (strcmp(argv[a], "--repeats") == 0 && a + 1 < argc) { repeats = atoi(argv[++a]); continue; }
    if (strcmp(argv[a], "--method") == 0 && a + 1 < argc) { method = argv[++a]; continue; }
    if (strcmp(argv[a], "--full") == 0 && a + 1 < argc) { full = atoi(argv[++a]) != 0; continue; }
    int n = atoi(argv[a]);
    if (n <= 0 || repeats <= 0 || repeats > 1000) { fprintf(stderr, "bad argument %s\n", argv[a]); return 2; }
    int m = n + extra;
    mzd_t *A0 = mzd_init(m, n + 1);
    int *secret = malloc(sizeof(int) * n);
    for (int j = 0; j < n; j++) secret[j] = (int)(next_u64() & 1);
    for (int i = 0; i < m; i++) {
      int label = 0;
      uint64_t bits = 0;
      for (int j = 0; j < n; j++) {
        if ((j & 63) == 0) bits = next_u64();
        int b = (int)(bits & 1);
        bits >>= 1;
        mzd_write_bit(A0, i, j, b);
        label ^= b & secret[j];
      }
      mzd_write_bit(A0, i, n, label);
    }
    double *times = malloc(sizeof(double) * repeats);
    rci_t rank = 0;
    int recovered = 1;
    for (int r = 0; r < repeats; r++) {
      mzd_t *A = mzd_copy(NULL, A0);
      double t0 = now_ms();
      rank = reduce(A, method, full);
      times[r] = now_ms() - t0;
      if (r == 0) recovered = rank == n && recovers(A, n, secret);
      mzd_free(A);
    }
    qsort(times, repeats, sizeof(double), cmp_double);
    printf("%s{\"n\":%d,\"m\":%d,\"method\":\"%s\",\"full\":%s,\"rank\":%d,\"recovered\":%s,"
           "\"medianMs\":%.4f,\"minMs\":%.4f,\"maxMs\":%.4f,\"samples\":[",
           first ? "" : ",", n, m, method, full ? "true" : "false", (int)rank, recovered ? "true" : "false",
           repeats % 2 ? times[repeats / 2] : (times[repeats / 2 - 1] + times[repeats / 2]) / 2,
           times[0], times[repeats - 1]);
    for (int r = 0; r < repeats; r++) printf("%s%.4f", r ? "," : "", times[r]);
    printf("]}");
    fflush(stdout);
    first = 0;
    free(times);
    free(secret);
    mzd_free(A0);
  }
  printf("]}\n");
  return 0;
}

// W4 ("Fastest Autograd in the West", A. Rogozhnikov, 2023) as a C tape interpreter in double precision: the native
// reference for compiled gradients. 100 leaves x_i = i/100; op k cycles softplus(x[-10]), x[-30]+x[-25]+x[-20]+x[-15],
// x[-20]*x[-10], softmax(x[-4:]); forward and backward of the last node. Build: cc -O3 w4.c -lm (bench/native.ts
// builds it into a temporary folder and runs it when `npm run bench` finds a C compiler).
// Usage: ./a.out N_OPS ITERS  -> prints "best_ms_per_iteration value checksum best_cpu_ms_per_iteration" (checksum =
// sum of grad[i]*((i%7)+1); the last figure is CPU time of the process, which other work on the machine inflates less).
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
typedef struct { int op; int ins[4]; int out; } Op;
static double now_ms(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
static double cpu_ms(void) { struct timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
int main(int argc, char **argv) {
  int nops = argc > 1 ? atoi(argv[1]) : 10000, iters = argc > 2 ? atoi(argv[2]) : 1000;
  Op *ops = malloc(sizeof(Op) * nops);
  int cap = 100 + 4 * nops, n = 100, *idx = malloc(sizeof(int) * cap), ni = 100;
  for (int i = 0; i < 100; i++) idx[i] = i;
  for (int k = 0; k < nops; k++) {
    Op o = {k % 4, {0, 0, 0, 0}, n};
    switch (k % 4) {
      case 0: o.ins[0] = idx[ni - 10]; idx[ni++] = n++; break;
      case 1: o.ins[0] = idx[ni - 30]; o.ins[1] = idx[ni - 25]; o.ins[2] = idx[ni - 20]; o.ins[3] = idx[ni - 15]; idx[ni++] = n++; break;
      case 2: o.ins[0] = idx[ni - 20]; o.ins[1] = idx[ni - 10]; idx[ni++] = n++; break;
      case 3: for (int j = 0; j < 4; j++) o.ins[j] = idx[ni - 4 + j]; for (int j = 0; j < 4; j++) idx[ni++] = n++; break;
    }
    ops[k] = o;
  }
  double *v = calloc(n, sizeof(double)), *g = calloc(n, sizeof(double));
  int last = n - 1;
  double best = 1e300, best_cpu = 1e300;
  for (int rep = 0; rep < 5; rep++) {
    double t0 = now_ms(), c0 = cpu_ms();
    for (int it = 0; it < iters; it++) {
      for (int i = 0; i < 100; i++) v[i] = i / 100.0;
      for (int i = 0; i < n; i++) g[i] = 0;
      for (int k = 0; k < nops; k++) {
        const Op *o = &ops[k]; const int *a = o->ins; int out = o->out;
        switch (o->op) {
          case 0: { double x = v[a[0]]; v[out] = fmax(x, 0) + log1p(exp(-fabs(x))); break; }
          case 1: v[out] = v[a[0]] + v[a[1]] + v[a[2]] + v[a[3]]; break;
          case 2: v[out] = v[a[0]] * v[a[1]]; break;
          case 3: { double m = fmax(fmax(v[a[0]], v[a[1]]), fmax(v[a[2]], v[a[3]])), s = 0;
            for (int j = 0; j < 4; j++) { double e = exp(v[a[j]] - m); v[out + j] = e; s += e; }
            for (int j = 0; j < 4; j++) v[out + j] /= s; break; }
        }
      }
      g[last] = 1;
      for (int k = nops - 1; k >= 0; k--) {
        const Op *o = &ops[k]; const int *a = o->ins; int out = o->out;
        switch (o->op) {
          case 0: g[a[0]] += g[out] / (1 + exp(-v[a[0]])); break;
          case 1: for (int j = 0; j < 4; j++) g[a[j]] += g[out]; break;
          case 2: g[a[0]] += g[out] * v[a[1]]; g[a[1]] += g[out] * v[a[0]]; break;
          case 3: { double avg = 0; for (int j = 0; j < 4; j++) avg += v[out + j] * g[out + j];
            for (int j = 0; j < 4; j++) g[a[j]] += v[out + j] * (g[out + j] - avg); break; }
        }
      }
    }
    double ms = (now_ms() - t0) / iters, cms = (cpu_ms() - c0) / iters;
    if (ms < best) best = ms;
    if (cms < best_cpu) best_cpu = cms;
  }
  double cs = 0; for (int i = 0; i < n; i++) cs += g[i] * ((i % 7) + 1);
  printf("%.5f %.17g %.17g %.5f\n", best, v[last], cs, best_cpu);
  return 0;
}

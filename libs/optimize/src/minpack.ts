// The linear algebra of MINPACK's lmder, written after J. J. Moré, "The Levenberg-Marquardt algorithm:
// implementation and theory" (Numerical Analysis, Lecture Notes in Mathematics 630, 1978) and the MINPACK User
// Guide (Moré, Garbow, Hillstrom, ANL-80-74, 1980): Householder QR with column pivoting (qrfac), the Givens
// solution of the damped system (qrsolv) and Moré's Newton iteration for the Levenberg-Marquardt parameter (lmpar).
// Matrices are column-major: element (i, j) of an m-row matrix is a[i + j * m].

/** The smallest positive normal double and the machine epsilon, as MINPACK's dpmpar gives them. */
export const DWARF = 2.2250738585072014e-308;
export const EPSMCH = Number.EPSILON;

/** The Euclidean norm of x[from], x[from + stride], … (n elements), scaled against overflow and underflow. */
export function enorm(n: number, x: ArrayLike<number>, from = 0, stride = 1): number {
  let scale = 0;
  for (let k = 0, i = from; k < n; k++, i += stride) {
    const a = Math.abs(x[i]);
    if (a > scale) scale = a;
  }
  if (scale === 0 || !Number.isFinite(scale)) return scale === 0 ? 0 : scale;
  let sum = 0;
  for (let k = 0, i = from; k < n; k++, i += stride) {
    const t = x[i] / scale;
    sum += t * t;
  }
  return scale * Math.sqrt(sum);
}

/**
 * QR factorisation with column pivoting of the m × n matrix `a` (m ≥ n): on return the strict upper triangle of
 * `a` holds R's off-diagonal part, `rdiag` R's diagonal, the lower trapezoid the Householder vectors (Q = H1…Hn,
 * Hj = I - u uᵀ / u_j), `ipvt[j]` the original column now in position j, and `acnorm` the original columns' norms.
 */
export function qrfac(
  m: number,
  n: number,
  a: Float64Array,
  ipvt: Int32Array,
  rdiag: Float64Array,
  acnorm: Float64Array,
  wa: Float64Array,
): void {
  for (let j = 0; j < n; j++) {
    acnorm[j] = enorm(m, a, j * m);
    rdiag[j] = acnorm[j];
    wa[j] = rdiag[j];
    ipvt[j] = j;
  }
  const minmn = Math.min(m, n);
  for (let j = 0; j < minmn; j++) {
    // Bring the column of largest remaining norm to position j.
    let kmax = j;
    for (let k = j; k < n; k++) if (rdiag[k] > rdiag[kmax]) kmax = k;
    if (kmax !== j) {
      for (let i = 0; i < m; i++) {
        const t = a[i + j * m];
        a[i + j * m] = a[i + kmax * m];
        a[i + kmax * m] = t;
      }
      rdiag[kmax] = rdiag[j];
      wa[kmax] = wa[j];
      const t = ipvt[j];
      ipvt[j] = ipvt[kmax];
      ipvt[kmax] = t;
    }
    // The Householder transformation reducing column j below the diagonal to zero.
    const cj = j * m;
    let ajnorm = enorm(m - j, a, cj + j);
    if (ajnorm !== 0) {
      if (a[cj + j] < 0) ajnorm = -ajnorm;
      for (let i = j; i < m; i++) a[cj + i] /= ajnorm;
      a[cj + j] += 1;
      // Apply it to the remaining columns and update their norms.
      for (let k = j + 1; k < n; k++) {
        const ck = k * m;
        let sum = 0;
        for (let i = j; i < m; i++) sum += a[cj + i] * a[ck + i];
        const temp = sum / a[cj + j];
        for (let i = j; i < m; i++) a[ck + i] -= temp * a[cj + i];
        if (rdiag[k] !== 0) {
          const t = a[ck + j] / rdiag[k];
          rdiag[k] *= Math.sqrt(Math.max(0, 1 - t * t));
          const r = rdiag[k] / wa[k];
          if (0.05 * r * r <= EPSMCH) {
            rdiag[k] = enorm(m - j - 1, a, ck + j + 1);
            wa[k] = rdiag[k];
          }
        }
      }
    }
    rdiag[j] = -ajnorm;
  }
}

/**
 * Solve min ‖(A; D) x - (b; 0)‖ given A P = Q R (R in the upper triangle of `r`, column-major with `ldr` rows,
 * its diagonal on the diagonal) and qtb = Qᵀ b: Givens rotations eliminate the diagonal D, giving the upper
 * triangular S (diagonal in `sdiag`, strict upper triangle transposed into the strict lower triangle of `r`).
 * The upper triangle and diagonal of `r` are left as they were.
 */
export function qrsolv(
  n: number,
  r: Float64Array,
  ldr: number,
  ipvt: Int32Array,
  diag: Float64Array,
  qtb: Float64Array,
  x: Float64Array,
  sdiag: Float64Array,
  wa: Float64Array,
): void {
  for (let j = 0; j < n; j++) {
    for (let i = j; i < n; i++) r[i + j * ldr] = r[j + i * ldr];
    x[j] = r[j + j * ldr];
    wa[j] = qtb[j];
  }
  for (let j = 0; j < n; j++) {
    const l = ipvt[j];
    if (diag[l] !== 0) {
      for (let k = j; k < n; k++) sdiag[k] = 0;
      sdiag[j] = diag[l];
      let qtbpj = 0;
      for (let k = j; k < n; k++) {
        if (sdiag[k] === 0) continue;
        const rkk = r[k + k * ldr];
        let sin: number;
        let cos: number;
        if (Math.abs(rkk) < Math.abs(sdiag[k])) {
          const cotan = rkk / sdiag[k];
          sin = 0.5 / Math.sqrt(0.25 + 0.25 * cotan * cotan);
          cos = sin * cotan;
        } else {
          const tan = sdiag[k] / rkk;
          cos = 0.5 / Math.sqrt(0.25 + 0.25 * tan * tan);
          sin = cos * tan;
        }
        r[k + k * ldr] = cos * rkk + sin * sdiag[k];
        const temp = cos * wa[k] + sin * qtbpj;
        qtbpj = -sin * wa[k] + cos * qtbpj;
        wa[k] = temp;
        for (let i = k + 1; i < n; i++) {
          const t = cos * r[i + k * ldr] + sin * sdiag[i];
          sdiag[i] = -sin * r[i + k * ldr] + cos * sdiag[i];
          r[i + k * ldr] = t;
        }
      }
    }
    sdiag[j] = r[j + j * ldr];
    r[j + j * ldr] = x[j];
  }
  // Solve the triangular system; if it is singular, a least-squares solution.
  let nsing = n;
  for (let j = 0; j < n; j++) {
    if (sdiag[j] === 0 && nsing === n) nsing = j;
    if (nsing < n) wa[j] = 0;
  }
  for (let k = nsing - 1; k >= 0; k--) {
    let sum = 0;
    for (let i = k + 1; i < nsing; i++) sum += r[i + k * ldr] * wa[i];
    wa[k] = (wa[k] - sum) / sdiag[k];
  }
  for (let j = 0; j < n; j++) x[ipvt[j]] = wa[j];
}

/**
 * Moré's lmpar: the Levenberg-Marquardt parameter λ ≥ 0 such that the solution x of (A; √λ D) x ≈ (b; 0) has
 * ‖D x‖ within 10% of delta (or λ = 0 if the Gauss-Newton step is already shorter than 1.1 delta), by a safeguarded
 * Newton iteration on φ(λ) = ‖D x(λ)‖ - delta with bounds parl ≤ λ ≤ paru; at most 10 iterations. Returns λ; the
 * step is in `x`, the diagonal of S in `sdiag`. Scratch arrays wa1, wa2 have n elements.
 */
export function lmpar(
  n: number,
  r: Float64Array,
  ldr: number,
  ipvt: Int32Array,
  diag: Float64Array,
  qtb: Float64Array,
  delta: number,
  par0: number,
  x: Float64Array,
  sdiag: Float64Array,
  wa1: Float64Array,
  wa2: Float64Array,
): number {
  // The Gauss-Newton direction (least-squares solution if R is singular).
  let nsing = n;
  for (let j = 0; j < n; j++) {
    wa1[j] = qtb[j];
    if (r[j + j * ldr] === 0 && nsing === n) nsing = j;
    if (nsing < n) wa1[j] = 0;
  }
  for (let k = nsing - 1; k >= 0; k--) {
    wa1[k] /= r[k + k * ldr];
    const temp = wa1[k];
    for (let i = 0; i < k; i++) wa1[i] -= r[i + k * ldr] * temp;
  }
  for (let j = 0; j < n; j++) x[ipvt[j]] = wa1[j];
  for (let j = 0; j < n; j++) wa2[j] = diag[j] * x[j];
  let dxnorm = enorm(n, wa2);
  let fp = dxnorm - delta;
  if (fp <= 0.1 * delta) return 0;
  // A lower bound parl from the Newton step at λ = 0 (zero if the Jacobian is rank-deficient).
  let parl = 0;
  if (nsing >= n) {
    for (let j = 0; j < n; j++) {
      const l = ipvt[j];
      wa1[j] = diag[l] * (wa2[l] / dxnorm);
    }
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let i = 0; i < j; i++) sum += r[i + j * ldr] * wa1[i];
      wa1[j] = (wa1[j] - sum) / r[j + j * ldr];
    }
    const temp = enorm(n, wa1);
    parl = fp / delta / temp / temp;
  }
  // An upper bound paru.
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let i = 0; i <= j; i++) sum += r[i + j * ldr] * qtb[i];
    wa1[j] = sum / diag[ipvt[j]];
  }
  const gnorm = enorm(n, wa1);
  let paru = gnorm / delta;
  if (paru === 0) paru = DWARF / Math.min(delta, 0.1);
  let par = Math.min(Math.max(par0, parl), paru);
  if (par === 0) par = gnorm / dxnorm;
  for (let iter = 1; ; iter++) {
    if (par === 0) par = Math.max(DWARF, 0.001 * paru);
    const s = Math.sqrt(par);
    for (let j = 0; j < n; j++) wa1[j] = s * diag[j];
    qrsolv(n, r, ldr, ipvt, wa1, qtb, x, sdiag, wa2);
    for (let j = 0; j < n; j++) wa2[j] = diag[j] * x[j];
    dxnorm = enorm(n, wa2);
    const previous = fp;
    fp = dxnorm - delta;
    if (Math.abs(fp) <= 0.1 * delta || (parl === 0 && fp <= previous && previous < 0) || iter === 10) break;
    // The Newton correction.
    for (let j = 0; j < n; j++) {
      const l = ipvt[j];
      wa1[j] = diag[l] * (wa2[l] / dxnorm);
    }
    for (let j = 0; j < n; j++) {
      wa1[j] /= sdiag[j];
      const temp = wa1[j];
      for (let i = j + 1; i < n; i++) wa1[i] -= r[i + j * ldr] * temp;
    }
    const temp = enorm(n, wa1);
    const parc = fp / delta / temp / temp;
    if (fp > 0) parl = Math.max(parl, par);
    if (fp < 0) paru = Math.min(paru, par);
    par = Math.max(parl, par + parc);
  }
  return par;
}

//! Plain-loop reference implementations with f64 accumulation (and f64 state for the
//! recurrent layers). Slow by design and obviously correct: every backend is checked
//! against these.

use crate::error::Result;
use crate::kernel::{Conv2dShape, GemmShape, KernelKind, RnnParams, RnnShape, gates};
use crate::workload::{Output, Workload};

/// Runs a workload on the reference: floats as [`Output::F64`], int8 GEMM as [`Output::I32`].
pub fn run(workload: &Workload) -> Result<Output> {
    workload.check()?;
    Ok(match workload {
        Workload::GemmF32 { shape, a, b } => Output::F64(gemm_f64(*shape, a, b, |x| f64::from(*x))),
        Workload::GemmF16 { shape, a, b } => {
            Output::F64(gemm_f64(*shape, a, b, |x| f64::from(x.to_f32())))
        }
        Workload::GemmI8 { shape, a, b } => Output::I32(gemm_i8(*shape, a, b)),
        Workload::Conv2dF32 {
            shape,
            input,
            weights,
        } => Output::F64(conv2d(shape, input, weights)),
        Workload::LstmF32 { shape, x, params } => {
            Output::F64(recurrent(KernelKind::LstmF32, shape, x, params))
        }
        Workload::RnnF32 { shape, x, params } => {
            Output::F64(recurrent(KernelKind::RnnF32, shape, x, params))
        }
    })
}

fn gemm_f64<T>(s: GemmShape, a: &[T], b: &[T], widen: impl Fn(&T) -> f64) -> Vec<f64> {
    let mut c = vec![0.0f64; s.m * s.n];
    for i in 0..s.m {
        for j in 0..s.n {
            let mut acc = 0.0f64;
            for p in 0..s.k {
                acc += widen(&a[i * s.k + p]) * widen(&b[p * s.n + j]);
            }
            c[i * s.n + j] = acc;
        }
    }
    c
}

/// int8 GEMM with i32 accumulation (wrapping, as hardware does; with `k ≤ 2^17` no
/// overflow is possible since each product is at most 2^14 in magnitude).
pub fn gemm_i8(s: GemmShape, a: &[i8], b: &[i8]) -> Vec<i32> {
    let mut c = vec![0i32; s.m * s.n];
    for i in 0..s.m {
        for j in 0..s.n {
            let mut acc = 0i32;
            for p in 0..s.k {
                acc = acc.wrapping_add(i32::from(a[i * s.k + p]) * i32::from(b[p * s.n + j]));
            }
            c[i * s.n + j] = acc;
        }
    }
    c
}

fn conv2d(s: &Conv2dShape, input: &[f32], weights: &[f32]) -> Vec<f64> {
    let (oh, ow) = (s.out_height().unwrap_or(0), s.out_width().unwrap_or(0));
    let mut out = vec![0.0f64; s.batch * s.out_channels * oh * ow];
    for n in 0..s.batch {
        for o in 0..s.out_channels {
            for oy in 0..oh {
                for ox in 0..ow {
                    let mut acc = 0.0f64;
                    for c in 0..s.in_channels {
                        for ky in 0..s.kernel_h {
                            let iy = (oy * s.stride + ky) as isize - s.padding as isize;
                            if iy < 0 || iy >= s.height as isize {
                                continue;
                            }
                            for kx in 0..s.kernel_w {
                                let ix = (ox * s.stride + kx) as isize - s.padding as isize;
                                if ix < 0 || ix >= s.width as isize {
                                    continue;
                                }
                                let iv = input[((n * s.in_channels + c) * s.height + iy as usize)
                                    * s.width
                                    + ix as usize];
                                let wv = weights
                                    [((o * s.in_channels + c) * s.kernel_h + ky) * s.kernel_w + kx];
                                acc += f64::from(iv) * f64::from(wv);
                            }
                        }
                    }
                    out[((n * s.out_channels + o) * oh + oy) * ow + ox] = acc;
                }
            }
        }
    }
    out
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn recurrent(kernel: KernelKind, s: &RnnShape, x: &[f32], p: &RnnParams) -> Vec<f64> {
    let (b, i_sz, h_sz) = (s.batch, s.input_size, s.hidden_size);
    let g = gates(kernel);
    let mut h = vec![0.0f64; b * h_sz];
    let mut c = vec![0.0f64; b * h_sz];
    let mut out = Vec::with_capacity(s.seq_len * b * h_sz);
    let mut pre = vec![0.0f64; g * h_sz];
    for t in 0..s.seq_len {
        let mut h_next = vec![0.0f64; b * h_sz];
        for bi in 0..b {
            let xt = &x[(t * b + bi) * i_sz..(t * b + bi + 1) * i_sz];
            let hp = &h[bi * h_sz..(bi + 1) * h_sz];
            for (r, slot) in pre.iter_mut().enumerate() {
                let mut acc = f64::from(p.bias[r]);
                for (q, xv) in xt.iter().enumerate() {
                    acc += f64::from(p.w_ih[r * i_sz + q]) * f64::from(*xv);
                }
                for (q, hv) in hp.iter().enumerate() {
                    acc += f64::from(p.w_hh[r * h_sz + q]) * hv;
                }
                *slot = acc;
            }
            for j in 0..h_sz {
                let idx = bi * h_sz + j;
                if g == 4 {
                    let ig = sigmoid(pre[j]);
                    let fg = sigmoid(pre[h_sz + j]);
                    let gg = pre[2 * h_sz + j].tanh();
                    let og = sigmoid(pre[3 * h_sz + j]);
                    c[idx] = fg * c[idx] + ig * gg;
                    h_next[idx] = og * c[idx].tanh();
                } else {
                    h_next[idx] = pre[j].tanh();
                }
            }
        }
        h = h_next;
        out.extend_from_slice(&h);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gemm_reference_matches_hand_computed_product() {
        let s = GemmShape::new(2, 2, 3);
        let a = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0];
        let b = [7.0f32, 8.0, 9.0, 10.0, 11.0, 12.0];
        let out = run(&Workload::GemmF32 {
            shape: s,
            a: a.to_vec(),
            b: b.to_vec(),
        })
        .unwrap();
        assert_eq!(out, Output::F64(vec![58.0, 64.0, 139.0, 154.0]));
        let qa = [-128i8, 127, 1, -1, 2, 3];
        let qb = [-128i8, 1, 127, 2, 5, -7];
        // row 0: (-128)(-128) + 127·127 + 1·5 = 16384 + 16129 + 5; (-128)(1) + 127·2 + 1·(-7)
        assert_eq!(gemm_i8(s, &qa, &qb), vec![32518, 119, 397, -18]);
    }

    #[test]
    fn conv2d_reference_handles_padding_and_stride() {
        // 1×1×3×3 input of ones, one 3×3 kernel of ones, padding 1, stride 2: corners see 4 taps.
        let s = Conv2dShape {
            batch: 1,
            in_channels: 1,
            height: 3,
            width: 3,
            out_channels: 1,
            kernel_h: 3,
            kernel_w: 3,
            stride: 2,
            padding: 1,
        };
        let out = conv2d(&s, &[1.0; 9], &[1.0; 9]);
        assert_eq!(out, vec![4.0, 4.0, 4.0, 4.0]);
    }

    #[test]
    fn lstm_reference_single_unit_matches_closed_form() {
        // One unit, input weight 1 on every gate, no recurrence, no bias, x = 0.5.
        let s = RnnShape {
            seq_len: 1,
            batch: 1,
            input_size: 1,
            hidden_size: 1,
        };
        let p = RnnParams {
            w_ih: vec![1.0; 4],
            w_hh: vec![0.0; 4],
            bias: vec![0.0; 4],
        };
        let out = recurrent(KernelKind::LstmF32, &s, &[0.5], &p);
        let c = sigmoid(0.5) * 0.5f64.tanh();
        assert!((out[0] - sigmoid(0.5) * c.tanh()).abs() < 1e-15);
    }
}

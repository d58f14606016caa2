//! int8 GEMM with i32 accumulation on the CPU, parallel over rows with rayon (candle
//! has no integer matmul). B is transposed once when the kernel is prepared so that
//! the inner loop is a contiguous i8 dot product the compiler vectorises.

use rayon::prelude::*;

use crate::backend::PreparedKernel;
use crate::error::Result;
use crate::kernel::GemmShape;
use crate::workload::Output;

/// Uploaded int8 GEMM: A row-major, B transposed to `[n×k]`.
pub(crate) struct PreparedGemmI8 {
    shape: GemmShape,
    a: Vec<i8>,
    b_t: Vec<i8>,
    c: Vec<i32>,
}

impl PreparedGemmI8 {
    pub(crate) fn new(shape: GemmShape, a: &[i8], b: &[i8]) -> Self {
        let (k, n) = (shape.k, shape.n);
        let mut b_t = vec![0i8; k * n];
        for p in 0..k {
            for j in 0..n {
                b_t[j * k + p] = b[p * n + j];
            }
        }
        PreparedGemmI8 {
            shape,
            a: a.to_vec(),
            b_t,
            c: vec![0; shape.m * n],
        }
    }
}

fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    a.iter().zip(b).fold(0i32, |acc, (&x, &y)| {
        acc.wrapping_add(i32::from(x) * i32::from(y))
    })
}

impl PreparedKernel for PreparedGemmI8 {
    fn launch(&mut self) -> Result<()> {
        let GemmShape { n, k, .. } = self.shape;
        let (a, b_t) = (&self.a, &self.b_t);
        self.c.par_chunks_mut(n).enumerate().for_each(|(i, row)| {
            let a_row = &a[i * k..(i + 1) * k];
            for (j, out) in row.iter_mut().enumerate() {
                *out = dot_i8(a_row, &b_t[j * k..(j + 1) * k]);
            }
        });
        Ok(())
    }

    fn read_output(&mut self) -> Result<Output> {
        Ok(Output::I32(self.c.clone()))
    }
}

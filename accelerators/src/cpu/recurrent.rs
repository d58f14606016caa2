//! LSTM and tanh-RNN layers on the CPU: the input projection of all time steps is one
//! candle matrix product, each step adds one `h · W_hhᵀ` product, and the gate
//! activations are plain loops.

use candle_core::{Device as CandleDevice, Tensor};

use crate::backend::PreparedKernel;
use crate::error::Result;
use crate::kernel::{KernelKind, RnnParams, RnnShape, gates};
use crate::workload::Output;

pub(crate) struct PreparedRecurrent {
    kernel: KernelKind,
    shape: RnnShape,
    x: Tensor,
    w_ih_t: Tensor,
    w_hh_t: Tensor,
    bias: Vec<f32>,
    out: Vec<f32>,
}

impl PreparedRecurrent {
    pub(crate) fn new(
        kernel: KernelKind,
        shape: RnnShape,
        x: &[f32],
        p: &RnnParams,
    ) -> Result<Self> {
        let dev = CandleDevice::Cpu;
        let rows = gates(kernel) * shape.hidden_size;
        Ok(PreparedRecurrent {
            kernel,
            shape,
            x: Tensor::from_slice(x, (shape.seq_len * shape.batch, shape.input_size), &dev)?,
            w_ih_t: Tensor::from_slice(&p.w_ih, (rows, shape.input_size), &dev)?
                .t()?
                .contiguous()?,
            w_hh_t: Tensor::from_slice(&p.w_hh, (rows, shape.hidden_size), &dev)?
                .t()?
                .contiguous()?,
            bias: p.bias.clone(),
            out: Vec::new(),
        })
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl PreparedKernel for PreparedRecurrent {
    fn launch(&mut self) -> Result<()> {
        let RnnShape {
            seq_len,
            batch,
            hidden_size: h,
            ..
        } = self.shape;
        let g = gates(self.kernel);
        let rows = g * h;
        // [T·B, G·H]: input projections of every step at once.
        let xw: Vec<f32> = self.x.matmul(&self.w_ih_t)?.flatten_all()?.to_vec1()?;
        let mut hidden = vec![0.0f32; batch * h];
        let mut cell = vec![0.0f32; batch * h];
        let mut out = Vec::with_capacity(seq_len * batch * h);
        let dev = CandleDevice::Cpu;
        for t in 0..seq_len {
            let hw: Vec<f32> = Tensor::from_slice(&hidden, (batch, h), &dev)?
                .matmul(&self.w_hh_t)?
                .flatten_all()?
                .to_vec1()?;
            for b in 0..batch {
                let pre =
                    |r: usize| xw[(t * batch + b) * rows + r] + hw[b * rows + r] + self.bias[r];
                for j in 0..h {
                    let idx = b * h + j;
                    if g == 4 {
                        let i_g = sigmoid(pre(j));
                        let f_g = sigmoid(pre(h + j));
                        let g_g = pre(2 * h + j).tanh();
                        let o_g = sigmoid(pre(3 * h + j));
                        cell[idx] = f_g * cell[idx] + i_g * g_g;
                        hidden[idx] = o_g * cell[idx].tanh();
                    } else {
                        hidden[idx] = pre(j).tanh();
                    }
                }
            }
            out.extend_from_slice(&hidden);
        }
        self.out = out;
        Ok(())
    }

    fn read_output(&mut self) -> Result<Output> {
        Ok(Output::F32(self.out.clone()))
    }
}

//! Uploading each workload to wgpu buffers, binding it to its WGSL pipeline, and the
//! prepared kernel that dispatches it and reads the result back.

use std::num::NonZeroU64;

use half::f16;
use wgpu::util::DeviceExt;

use super::WgpuDevice;
use crate::backend::PreparedKernel;
use crate::error::{AccelError, Result};
use crate::kernel::{Conv2dShape, GemmShape, KernelKind, RnnParams, RnnShape};
use crate::workload::{Output, Workload};

const GEMM_SRC: &str = include_str!("shaders/gemm_float.wgsl");
const GEMM_I8_SRC: &str = include_str!("shaders/gemm_i8.wgsl");
const CONV_SRC: &str = include_str!("shaders/conv2d.wgsl");
const RECURRENT_SRC: &str = include_str!("shaders/recurrent.wgsl");
/// Output tile edge of the GEMM shaders.
const GEMM_TILE: usize = 64;
/// Invocations per workgroup of the 1-D shaders.
const LINEAR_GROUP: usize = 64;

#[derive(Clone, Copy)]
enum Decode {
    F32,
    F16,
    I32,
}

/// A workload bound to its pipeline: one or more dispatches per launch.
struct WgpuPrepared<'a> {
    dev: &'a WgpuDevice,
    pipeline: wgpu::ComputePipeline,
    bind_groups: Vec<wgpu::BindGroup>,
    groups: [u32; 3],
    /// Buffer zeroed before every launch (LSTM cell state).
    clear_first: Option<wgpu::Buffer>,
    output: wgpu::Buffer,
    /// Byte range of the result inside `output`.
    output_offset: usize,
    output_len: usize,
    decode: Decode,
    _keep: Vec<wgpu::Buffer>,
}

impl PreparedKernel for WgpuPrepared<'_> {
    fn launch(&mut self) -> Result<()> {
        let mut encoder = self
            .dev
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("launch"),
            });
        if let Some(buf) = &self.clear_first {
            encoder.clear_buffer(buf, 0, None);
        }
        {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: None,
                timestamp_writes: None,
            });
            pass.set_pipeline(&self.pipeline);
            for bg in &self.bind_groups {
                pass.set_bind_group(0, bg, &[]);
                pass.dispatch_workgroups(self.groups[0], self.groups[1], self.groups[2]);
            }
        }
        self.dev.queue.submit(Some(encoder.finish()));
        self.dev.check_errors("submitting kernel")
    }

    fn read_output(&mut self) -> Result<Output> {
        let elem = match self.decode {
            Decode::F16 => 2,
            Decode::F32 | Decode::I32 => 4,
        };
        let end = self.output_offset + self.output_len * elem;
        let bytes = self.dev.read_buffer(&self.output, end as u64)?;
        let bytes = &bytes[self.output_offset..end];
        Ok(match self.decode {
            Decode::F32 => Output::F32(
                bytes
                    .chunks_exact(4)
                    .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect(),
            ),
            Decode::I32 => Output::I32(
                bytes
                    .chunks_exact(4)
                    .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect(),
            ),
            Decode::F16 => Output::F16(
                bytes
                    .chunks_exact(2)
                    .map(|c| f16::from_le_bytes([c[0], c[1]]))
                    .collect(),
            ),
        })
    }
}

pub(super) fn prepare<'a>(
    dev: &'a WgpuDevice,
    w: &Workload,
) -> Result<Box<dyn PreparedKernel + 'a>> {
    let prepared = match w {
        Workload::GemmF32 { shape, a, b } => gemm_float(
            dev,
            KernelKind::GemmF32,
            *shape,
            &f32_bytes(a),
            &f32_bytes(b),
        )?,
        Workload::GemmF16 { shape, a, b } => {
            if !dev.shader_f16 {
                return Err(dev.unsupported(
                    KernelKind::GemmF16,
                    "the adapter does not support the SHADER_F16 feature".into(),
                ));
            }
            gemm_float(
                dev,
                KernelKind::GemmF16,
                *shape,
                &f16_bytes(a),
                &f16_bytes(b),
            )?
        }
        Workload::GemmI8 { shape, a, b } => gemm_i8(dev, *shape, a, b)?,
        Workload::Conv2dF32 {
            shape,
            input,
            weights,
        } => conv2d(dev, shape, input, weights)?,
        Workload::LstmF32 { shape, x, params } => {
            recurrent(dev, KernelKind::LstmF32, shape, x, params)?
        }
        Workload::RnnF32 { shape, x, params } => {
            recurrent(dev, KernelKind::RnnF32, shape, x, params)?
        }
    };
    dev.check_errors("uploading inputs")?;
    Ok(Box::new(prepared))
}

fn f32_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn f16_bytes(v: &[f16]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn to_u32(kernel: KernelKind, what: &str, v: usize) -> Result<u32> {
    u32::try_from(v).map_err(|_| AccelError::InvalidShape {
        kernel,
        reason: format!("{what} = {v} does not fit the shaders' 32-bit indices"),
    })
}

fn groups_for(dev: &WgpuDevice, kernel: KernelKind, count: usize, per_group: usize) -> Result<u32> {
    let groups = count.div_ceil(per_group);
    let max = dev.limits.max_compute_workgroups_per_dimension as usize;
    if groups > max {
        return Err(dev.unsupported(
            kernel,
            format!("needs {groups} workgroups in one dimension, the adapter allows {max}"),
        ));
    }
    to_u32(kernel, "workgroup count", groups)
}

fn bind(
    dev: &WgpuDevice,
    pipeline: &wgpu::ComputePipeline,
    buffers: &[wgpu::BindingResource<'_>],
) -> wgpu::BindGroup {
    let entries: Vec<wgpu::BindGroupEntry<'_>> = buffers
        .iter()
        .enumerate()
        .map(|(i, r)| wgpu::BindGroupEntry {
            binding: i as u32,
            resource: r.clone(),
        })
        .collect();
    dev.device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: None,
        layout: &pipeline.get_bind_group_layout(0),
        entries: &entries,
    })
}

fn output_buffer(dev: &WgpuDevice, kernel: KernelKind, bytes: usize) -> Result<wgpu::Buffer> {
    let size = (bytes.div_ceil(4).max(1) * 4) as u64;
    dev.check_size(kernel, "output", size)?;
    Ok(dev.device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("output"),
        size,
        usage: wgpu::BufferUsages::STORAGE
            | wgpu::BufferUsages::COPY_SRC
            | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    }))
}

fn gemm_float<'a>(
    dev: &'a WgpuDevice,
    kernel: KernelKind,
    s: GemmShape,
    a: &[u8],
    b: &[u8],
) -> Result<WgpuPrepared<'a>> {
    let (name, elem, enable, decode, size) = if kernel == KernelKind::GemmF16 {
        ("gemm_f16", "f16", "enable f16;", Decode::F16, 2)
    } else {
        ("gemm_f32", "f32", "", Decode::F32, 4)
    };
    let pipeline = dev.pipeline(name, || {
        GEMM_SRC
            .replace("ENABLE_LINE", enable)
            .replace("ELEM", elem)
    })?;
    let params = [
        to_u32(kernel, "m", s.m)?,
        to_u32(kernel, "n", s.n)?,
        to_u32(kernel, "k", s.k)?,
        0,
    ];
    let a = dev.storage(kernel, "a", a)?;
    let b = dev.storage(kernel, "b", b)?;
    let c = output_buffer(dev, kernel, s.output_len() * size)?;
    let u = dev.uniform("gemm params", &params);
    let groups = [
        groups_for(dev, kernel, s.n, GEMM_TILE)?,
        groups_for(dev, kernel, s.m, GEMM_TILE)?,
        1,
    ];
    let bg = bind(
        dev,
        &pipeline,
        &[
            a.as_entire_binding(),
            b.as_entire_binding(),
            c.as_entire_binding(),
            u.as_entire_binding(),
        ],
    );
    Ok(WgpuPrepared {
        dev,
        pipeline,
        bind_groups: vec![bg],
        groups,
        clear_first: None,
        output: c,
        output_offset: 0,
        output_len: s.output_len(),
        decode,
        _keep: vec![a, b, u],
    })
}

/// Packs rows of `k` int8 values into u32 words, 4 per word (lowest byte first), each
/// row zero-padded to `k4 = ceil(k / 4)` words.
fn pack_rows(rows: usize, k: usize, value: impl Fn(usize, usize) -> i8) -> Vec<u8> {
    let k4 = k.div_ceil(4);
    let mut out = vec![0u8; rows * k4 * 4];
    for r in 0..rows {
        for p in 0..k {
            out[r * k4 * 4 + p] = value(r, p).to_le_bytes()[0];
        }
    }
    out
}

fn gemm_i8<'a>(dev: &'a WgpuDevice, s: GemmShape, a: &[i8], b: &[i8]) -> Result<WgpuPrepared<'a>> {
    let kernel = KernelKind::GemmI8;
    let pipeline = dev.pipeline("gemm_i8", || GEMM_I8_SRC.to_string())?;
    let k4 = s.k.div_ceil(4);
    let packed_a = pack_rows(s.m, s.k, |r, p| a[r * s.k + p]);
    // B transposed: row j of the packed matrix is column j of B.
    let packed_bt = pack_rows(s.n, s.k, |j, p| b[p * s.n + j]);
    let params = [
        to_u32(kernel, "m", s.m)?,
        to_u32(kernel, "n", s.n)?,
        to_u32(kernel, "k/4", k4)?,
        0,
    ];
    let a = dev.storage(kernel, "a (packed)", &packed_a)?;
    let bt = dev.storage(kernel, "b (packed, transposed)", &packed_bt)?;
    let c = output_buffer(dev, kernel, s.output_len() * 4)?;
    let u = dev.uniform("gemm_i8 params", &params);
    let groups = [
        groups_for(dev, kernel, s.n, GEMM_TILE)?,
        groups_for(dev, kernel, s.m, GEMM_TILE)?,
        1,
    ];
    let bg = bind(
        dev,
        &pipeline,
        &[
            a.as_entire_binding(),
            bt.as_entire_binding(),
            c.as_entire_binding(),
            u.as_entire_binding(),
        ],
    );
    Ok(WgpuPrepared {
        dev,
        pipeline,
        bind_groups: vec![bg],
        groups,
        clear_first: None,
        output: c,
        output_offset: 0,
        output_len: s.output_len(),
        decode: Decode::I32,
        _keep: vec![a, bt, u],
    })
}

fn conv2d<'a>(
    dev: &'a WgpuDevice,
    s: &Conv2dShape,
    input: &[f32],
    weights: &[f32],
) -> Result<WgpuPrepared<'a>> {
    let kernel = KernelKind::Conv2dF32;
    let pipeline = dev.pipeline("conv2d_f32", || CONV_SRC.to_string())?;
    let total = s.output_len();
    let groups_needed = total.div_ceil(LINEAR_GROUP);
    let max = dev.limits.max_compute_workgroups_per_dimension as usize;
    let gx = groups_needed.min(max);
    let gy = groups_needed.div_ceil(gx);
    if gy > max {
        return Err(dev.unsupported(
            kernel,
            format!("output of {total} elements needs more than {max}² workgroups"),
        ));
    }
    let (oh, ow) = (s.out_height().unwrap_or(0), s.out_width().unwrap_or(0));
    let u = |what, v| to_u32(kernel, what, v);
    let params = [
        u("batch", s.batch)?,
        u("in_channels", s.in_channels)?,
        u("height", s.height)?,
        u("width", s.width)?,
        u("out_channels", s.out_channels)?,
        u("kernel_h", s.kernel_h)?,
        u("kernel_w", s.kernel_w)?,
        u("stride", s.stride)?,
        u("padding", s.padding)?,
        u("out_h", oh)?,
        u("out_w", ow)?,
        u("output elements", total)?,
        u("row threads", gx * LINEAR_GROUP)?,
        0,
        0,
        0,
    ];
    let i = dev.storage(kernel, "input", &f32_bytes(input))?;
    let w = dev.storage(kernel, "weights", &f32_bytes(weights))?;
    let o = output_buffer(dev, kernel, total * 4)?;
    let ub = dev.uniform("conv2d params", &params);
    let bg = bind(
        dev,
        &pipeline,
        &[
            i.as_entire_binding(),
            w.as_entire_binding(),
            o.as_entire_binding(),
            ub.as_entire_binding(),
        ],
    );
    Ok(WgpuPrepared {
        dev,
        pipeline,
        bind_groups: vec![bg],
        groups: [u("groups x", gx)?, u("groups y", gy)?, 1],
        clear_first: None,
        output: o,
        output_offset: 0,
        output_len: total,
        decode: Decode::F32,
        _keep: vec![i, w, ub],
    })
}

fn recurrent<'a>(
    dev: &'a WgpuDevice,
    kernel: KernelKind,
    s: &RnnShape,
    x: &[f32],
    p: &RnnParams,
) -> Result<WgpuPrepared<'a>> {
    let pipeline = dev.pipeline("recurrent_f32", || RECURRENT_SRC.to_string())?;
    let gates = crate::kernel::gates(kernel);
    let state = s.batch * s.hidden_size;
    let params = [
        to_u32(kernel, "batch", s.batch)?,
        to_u32(kernel, "input_size", s.input_size)?,
        to_u32(kernel, "hidden_size", s.hidden_size)?,
        gates as u32,
    ];
    let xb = dev.storage(kernel, "x", &f32_bytes(x))?;
    let w_ih = dev.storage(kernel, "w_ih", &f32_bytes(&p.w_ih))?;
    let w_hh = dev.storage(kernel, "w_hh", &f32_bytes(&p.w_hh))?;
    let bias = dev.storage(kernel, "bias", &f32_bytes(&p.bias))?;
    // Slot 0 is the zero initial state and is never written.
    let hs = output_buffer(dev, kernel, (s.seq_len + 1) * state * 4)?;
    let cell = output_buffer(dev, kernel, state * 4)?;
    let ub = dev.uniform("recurrent params", &params);
    let align = dev.limits.min_uniform_buffer_offset_alignment.max(16) as usize;
    let mut steps = vec![0u8; s.seq_len * align];
    for t in 0..s.seq_len {
        steps[t * align..t * align + 4].copy_from_slice(&to_u32(kernel, "step", t)?.to_le_bytes());
    }
    let step_buf = dev
        .device
        .create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("steps"),
            contents: &steps,
            usage: wgpu::BufferUsages::UNIFORM,
        });
    let bind_groups = (0..s.seq_len)
        .map(|t| {
            bind(
                dev,
                &pipeline,
                &[
                    xb.as_entire_binding(),
                    w_ih.as_entire_binding(),
                    w_hh.as_entire_binding(),
                    bias.as_entire_binding(),
                    hs.as_entire_binding(),
                    cell.as_entire_binding(),
                    ub.as_entire_binding(),
                    wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                        buffer: &step_buf,
                        offset: (t * align) as u64,
                        size: NonZeroU64::new(16),
                    }),
                ],
            )
        })
        .collect();
    Ok(WgpuPrepared {
        dev,
        pipeline,
        bind_groups,
        groups: [groups_for(dev, kernel, state, LINEAR_GROUP)?, 1, 1],
        clear_first: Some(cell.clone()),
        output: hs,
        output_offset: state * 4,
        output_len: s.seq_len * state,
        decode: Decode::F32,
        _keep: vec![xb, w_ih, w_hh, bias, cell, ub, step_buf],
    })
}

//! The CUDA backend, compiled into every build and probed at run time: cudarc loads
//! libcuda, cuBLAS and NVRTC dynamically, so a machine without an NVIDIA driver gets
//! [`AccelError::NoCudaDevice`] instead of a link error or a panic. cuBLAS does the
//! GEMMs (f32, f16 with f32 compute, int8 → i32 through `cublasGemmEx`); conv2d and the
//! recurrent step are NVRTC-compiled CUDA C (`kernels.cu`).
//!
//! Status: compiled and the no-device path tested here; the kernels themselves have not
//! run on a GPU in this repository's CI (it has none).

// cudarc's kernel launch and raw cuBLAS calls are `unsafe`: each use below states what
// makes it sound. The rest of the crate stays under the workspace's `deny(unsafe_code)`.
#![allow(unsafe_code)]

use std::collections::{BTreeMap, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};

use cudarc::cublas::{CudaBlas, Gemm, GemmConfig};
use cudarc::driver::{
    CudaContext, CudaFunction, CudaSlice, CudaStream, DevicePtr, DevicePtrMut, LaunchConfig,
    PushKernelArg,
};
use half::f16;

use crate::backend::{Backend, BackendKind, PreparedKernel};
use crate::error::{AccelError, Result};
use crate::fingerprint::{CpuInfo, Fingerprint};
use crate::kernel::{Conv2dShape, GemmShape, KernelKind, RnnParams, RnnShape, gates};
use crate::wgpu_backend::panic_text;
use crate::workload::{Output, Workload};

const KERNELS_CU: &str = include_str!("kernels.cu");

fn cuda_err(what: &str) -> impl Fn(cudarc::driver::DriverError) -> AccelError + '_ {
    move |e| AccelError::Cuda(format!("{what}: {e:?}"))
}

fn blas_err(what: &str) -> impl Fn(cudarc::cublas::result::CublasError) -> AccelError + '_ {
    move |e| AccelError::Cuda(format!("{what}: {e:?}"))
}

/// Checks, without panicking, whether a CUDA device can be opened: libcuda present,
/// driver initialises, at least `ordinal + 1` devices.
pub fn probe(ordinal: usize) -> Result<usize> {
    // SAFETY: is_culib_present only tries to dlopen the libcuda candidates and closes them.
    if !unsafe { cudarc::driver::sys::is_culib_present() } {
        return Err(AccelError::NoCudaDevice(
            "libcuda not found (no NVIDIA driver installed)".into(),
        ));
    }
    let count = catch_unwind(CudaContext::device_count)
        .map_err(|p| AccelError::NoCudaDevice(format!("CUDA driver panicked: {}", panic_text(&p))))?
        .map_err(|e| {
            AccelError::NoCudaDevice(format!("CUDA driver failed to initialise: {e:?}"))
        })?;
    let count = usize::try_from(count).unwrap_or(0);
    if count <= ordinal {
        return Err(AccelError::NoCudaDevice(format!(
            "driver reports {count} device(s), asked for ordinal {ordinal}"
        )));
    }
    Ok(count)
}

/// An NVIDIA GPU opened through the CUDA driver API.
pub struct CudaDevice {
    ctx: Arc<CudaContext>,
    stream: Arc<CudaStream>,
    blas: Option<CudaBlas>,
    blas_missing: String,
    name: String,
    compute_capability: (i32, i32),
    driver_version: i32,
    functions: Mutex<HashMap<&'static str, CudaFunction>>,
}

impl std::fmt::Debug for CudaDevice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CudaDevice")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl CudaDevice {
    /// Opens device `ordinal`; [`AccelError::NoCudaDevice`] when there is none.
    pub fn new(ordinal: usize) -> Result<Self> {
        probe(ordinal)?;
        catch_unwind(AssertUnwindSafe(|| Self::open(ordinal))).unwrap_or_else(|p| {
            Err(AccelError::NoCudaDevice(format!(
                "CUDA panicked while opening: {}",
                panic_text(&p)
            )))
        })
    }

    fn open(ordinal: usize) -> Result<Self> {
        let ctx = CudaContext::new(ordinal)
            .map_err(|e| AccelError::NoCudaDevice(format!("creating a context: {e:?}")))?;
        let stream = ctx.default_stream();
        let name = ctx.name().map_err(cuda_err("device name"))?;
        let compute_capability = ctx
            .compute_capability()
            .map_err(cuda_err("compute capability"))?;
        let mut driver_version = 0i32;
        // SAFETY: cuDriverGetVersion writes one int through a valid pointer.
        unsafe { cudarc::driver::sys::cuDriverGetVersion(&mut driver_version) }
            .result()
            .map_err(cuda_err("driver version"))?;
        // SAFETY: only tries to dlopen the cuBLAS candidates.
        let (blas, blas_missing) = if unsafe { cudarc::cublas::sys::is_culib_present() } {
            (
                Some(CudaBlas::new(stream.clone()).map_err(blas_err("creating a cuBLAS handle"))?),
                String::new(),
            )
        } else {
            (None, "libcublas not found".to_string())
        };
        Ok(CudaDevice {
            ctx,
            stream,
            blas,
            blas_missing,
            name,
            compute_capability,
            driver_version,
            functions: Mutex::new(HashMap::new()),
        })
    }

    /// Compute capability (major, minor).
    pub fn compute_capability(&self) -> (i32, i32) {
        self.compute_capability
    }

    /// The device's UUID in NVML's `GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` form.
    pub fn uuid(&self) -> Result<String> {
        let u = self.ctx.uuid().map_err(cuda_err("device uuid"))?;
        let b: Vec<u8> = u.bytes.iter().map(|&c| c as u8).collect();
        let h = hex::encode(&b);
        Ok(format!(
            "GPU-{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        ))
    }

    /// FP32 peak from SM count × clock × FP32 lanes per SM (by compute capability).
    pub(crate) fn fp32_peak(&self) -> std::result::Result<(f64, String), String> {
        use cudarc::driver::sys::CUdevice_attribute as A;
        let sms = self
            .ctx
            .attribute(A::CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT)
            .map_err(|e| format!("{e:?}"))?;
        let khz = self
            .ctx
            .attribute(A::CU_DEVICE_ATTRIBUTE_CLOCK_RATE)
            .map_err(|e| format!("{e:?}"))?;
        let lanes = match self.compute_capability {
            (7, _) | (8, 0) => 64,
            (8, _) | (9, 0) => 128,
            (major, minor) => {
                return Err(format!(
                    "FP32 lanes per SM not tabulated for compute capability {major}.{minor}"
                ));
            }
        };
        let peak = f64::from(sms) * f64::from(khz) * 1e3 * f64::from(lanes) * 2.0;
        Ok((
            peak,
            format!("{sms} SMs × {khz} kHz × {lanes} FP32 lanes × 2 (FMA)"),
        ))
    }

    fn unsupported(&self, kernel: KernelKind, reason: String) -> AccelError {
        AccelError::Unsupported {
            kernel,
            backend: BackendKind::Cuda,
            device: self.name.clone(),
            reason,
        }
    }

    fn blas(&self, kernel: KernelKind) -> Result<&CudaBlas> {
        self.blas
            .as_ref()
            .ok_or_else(|| self.unsupported(kernel, self.blas_missing.clone()))
    }

    fn function(&self, kernel: KernelKind, name: &'static str) -> Result<CudaFunction> {
        let mut cache = self
            .functions
            .lock()
            .map_err(|_| AccelError::Cuda("function cache poisoned".into()))?;
        if let Some(f) = cache.get(name) {
            return Ok(f.clone());
        }
        let ptx = compile_kernels().map_err(|e| match e {
            AccelError::Unsupported { reason, .. } => self.unsupported(kernel, reason),
            other => other,
        })?;
        let module = self.ctx.load_module(ptx).map_err(cuda_err("loading PTX"))?;
        for n in ["conv2d_f32", "recurrent_step"] {
            cache.insert(
                n,
                module
                    .load_function(n)
                    .map_err(cuda_err("loading kernel"))?,
            );
        }
        cache
            .get(name)
            .cloned()
            .ok_or_else(|| AccelError::Cuda(format!("kernel {name} missing from module")))
    }
}

/// Compiles the CUDA C kernels (`kernels.cu`) to PTX with NVRTC. Needs only libnvrtc,
/// not a GPU, so the kernel source can be checked on any machine that has NVRTC.
/// Without libnvrtc: [`AccelError::Unsupported`].
pub fn compile_kernels() -> Result<cudarc::nvrtc::Ptx> {
    // SAFETY: only tries to dlopen the NVRTC candidates.
    if !unsafe { cudarc::nvrtc::sys::is_culib_present() } {
        return Err(AccelError::Unsupported {
            kernel: KernelKind::Conv2dF32,
            backend: BackendKind::Cuda,
            device: "nvrtc".into(),
            reason: "libnvrtc not found (needed to compile conv2d/LSTM/RNN kernels)".into(),
        });
    }
    catch_unwind(|| cudarc::nvrtc::compile_ptx(KERNELS_CU))
        .map_err(|p| AccelError::Cuda(format!("NVRTC panicked: {}", panic_text(&p))))?
        .map_err(|e| AccelError::Cuda(format!("NVRTC compile of kernels.cu: {e:?}")))
}

fn to_i32(kernel: KernelKind, what: &str, v: usize) -> Result<i32> {
    i32::try_from(v).map_err(|_| AccelError::InvalidShape {
        kernel,
        reason: format!("{what} = {v} exceeds cuBLAS's int range"),
    })
}

fn to_u32(kernel: KernelKind, what: &str, v: usize) -> Result<u32> {
    u32::try_from(v).map_err(|_| AccelError::InvalidShape {
        kernel,
        reason: format!("{what} = {v} exceeds 32 bits"),
    })
}

impl Backend for CudaDevice {
    fn kind(&self) -> BackendKind {
        BackendKind::Cuda
    }

    fn fingerprint(&self) -> Fingerprint {
        let cpu = CpuInfo::read();
        let mut details = BTreeMap::new();
        let (major, minor) = self.compute_capability;
        details.insert("compute_capability".into(), format!("{major}.{minor}"));
        if let Ok(mem) = self.ctx.total_mem() {
            details.insert("total_mem_bytes".into(), mem.to_string());
        }
        if let Ok(uuid) = self.uuid() {
            details.insert("uuid".into(), uuid);
        }
        details.insert("cublas".into(), self.blas.is_some().to_string());
        Fingerprint {
            backend: BackendKind::Cuda,
            device_name: self.name.clone(),
            vendor: "NVIDIA (0x10de)".into(),
            device_type: "discrete-gpu".into(),
            backend_api: "CUDA driver API".into(),
            driver_name: "libcuda".into(),
            driver_version: format!(
                "{}.{}",
                self.driver_version / 1000,
                (self.driver_version % 1000) / 10
            ),
            cpu_model: cpu.model_name,
            threads: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
            details,
        }
    }

    fn synchronize(&self) -> Result<()> {
        self.stream.synchronize().map_err(cuda_err("synchronize"))
    }

    fn prepare<'a>(&'a self, w: &Workload) -> Result<Box<dyn PreparedKernel + 'a>> {
        w.check()?;
        let s = &self.stream;
        let up = cuda_err("upload");
        Ok(match w {
            Workload::GemmF32 { shape, a, b } => Box::new(CudaGemm::<f32> {
                dev: self,
                shape: *shape,
                a: s.clone_htod(a).map_err(&up)?,
                b: s.clone_htod(b).map_err(&up)?,
                c: s.alloc_zeros(shape.output_len()).map_err(&up)?,
            }),
            Workload::GemmF16 { shape, a, b } => Box::new(CudaGemm::<f16> {
                dev: self,
                shape: *shape,
                a: s.clone_htod(a).map_err(&up)?,
                b: s.clone_htod(b).map_err(&up)?,
                c: s.alloc_zeros(shape.output_len()).map_err(&up)?,
            }),
            Workload::GemmI8 { shape, a, b } => Box::new(CudaGemmI8::new(self, *shape, a, b)?),
            Workload::Conv2dF32 {
                shape,
                input,
                weights,
            } => Box::new(CudaConv {
                dev: self,
                func: self.function(KernelKind::Conv2dF32, "conv2d_f32")?,
                shape: *shape,
                input: s.clone_htod(input).map_err(&up)?,
                weights: s.clone_htod(weights).map_err(&up)?,
                out: s.alloc_zeros(shape.output_len()).map_err(&up)?,
            }),
            Workload::LstmF32 { shape, x, params } | Workload::RnnF32 { shape, x, params } => {
                Box::new(CudaRecurrent::new(self, w.kernel(), *shape, x, params)?)
            }
        })
    }
}

/// cuBLAS GEMM on row-major data: computes `Cᵀ = Bᵀ·Aᵀ` in cuBLAS's column-major terms.
struct CudaGemm<'a, T> {
    dev: &'a CudaDevice,
    shape: GemmShape,
    a: CudaSlice<T>,
    b: CudaSlice<T>,
    c: CudaSlice<T>,
}

trait GemmElem: Sized + Copy {
    const KERNEL: KernelKind;
    fn one() -> Self;
    fn zero() -> Self;
    fn wrap(v: Vec<Self>) -> Output;
}

impl GemmElem for f32 {
    const KERNEL: KernelKind = KernelKind::GemmF32;
    fn one() -> Self {
        1.0
    }
    fn zero() -> Self {
        0.0
    }
    fn wrap(v: Vec<Self>) -> Output {
        Output::F32(v)
    }
}

impl GemmElem for f16 {
    const KERNEL: KernelKind = KernelKind::GemmF16;
    fn one() -> Self {
        f16::ONE
    }
    fn zero() -> Self {
        f16::ZERO
    }
    fn wrap(v: Vec<Self>) -> Output {
        Output::F16(v)
    }
}

impl<T> PreparedKernel for CudaGemm<'_, T>
where
    T: GemmElem + cudarc::driver::DeviceRepr,
    CudaBlas: Gemm<T>,
{
    fn launch(&mut self) -> Result<()> {
        let k = T::KERNEL;
        let GemmShape { m, n, k: kk } = self.shape;
        let cfg = GemmConfig {
            transa: cudarc::cublas::sys::cublasOperation_t::CUBLAS_OP_N,
            transb: cudarc::cublas::sys::cublasOperation_t::CUBLAS_OP_N,
            m: to_i32(k, "n", n)?,
            n: to_i32(k, "m", m)?,
            k: to_i32(k, "k", kk)?,
            alpha: T::one(),
            lda: to_i32(k, "n", n)?,
            ldb: to_i32(k, "k", kk)?,
            beta: T::zero(),
            ldc: to_i32(k, "n", n)?,
        };
        let blas = self.dev.blas(k)?;
        // SAFETY: the buffers hold exactly k·n (b), m·k (a) and m·n (c) elements, which is
        // what the dimensions and leading dimensions above address.
        unsafe { blas.gemm(cfg, &self.b, &self.a, &mut self.c) }.map_err(blas_err("cuBLAS gemm"))
    }

    fn read_output(&mut self) -> Result<Output> {
        self.dev.synchronize()?;
        Ok(T::wrap(
            self.dev
                .stream
                .clone_dtoh(&self.c)
                .map_err(cuda_err("readback"))?,
        ))
    }
}

/// int8 GEMM through `cublasGemmEx` (CUDA_R_8I inputs, CUDA_R_32I output and compute)
/// in the "TN" form cuBLAS requires for integer GEMMs: B is transposed on the host and
/// k is zero-padded to a multiple of 4 when the kernel is prepared.
struct CudaGemmI8<'a> {
    dev: &'a CudaDevice,
    shape: GemmShape,
    k_pad: usize,
    a: CudaSlice<i8>,
    bt: CudaSlice<i8>,
    c: CudaSlice<i32>,
}

impl<'a> CudaGemmI8<'a> {
    fn new(dev: &'a CudaDevice, shape: GemmShape, a: &[i8], b: &[i8]) -> Result<Self> {
        let k_pad = shape.k.div_ceil(4) * 4;
        let mut a_pad = vec![0i8; shape.m * k_pad];
        for i in 0..shape.m {
            a_pad[i * k_pad..i * k_pad + shape.k]
                .copy_from_slice(&a[i * shape.k..(i + 1) * shape.k]);
        }
        let mut bt = vec![0i8; shape.n * k_pad];
        for p in 0..shape.k {
            for j in 0..shape.n {
                bt[j * k_pad + p] = b[p * shape.n + j];
            }
        }
        let up = cuda_err("upload");
        Ok(CudaGemmI8 {
            dev,
            shape,
            k_pad,
            a: dev.stream.clone_htod(&a_pad).map_err(&up)?,
            bt: dev.stream.clone_htod(&bt).map_err(&up)?,
            c: dev.stream.alloc_zeros(shape.output_len()).map_err(&up)?,
        })
    }
}

impl PreparedKernel for CudaGemmI8<'_> {
    fn launch(&mut self) -> Result<()> {
        use cudarc::cublas::sys::{
            cublasComputeType_t, cublasGemmAlgo_t, cublasOperation_t, cudaDataType_t,
        };
        let kern = KernelKind::GemmI8;
        let blas = self.dev.blas(kern)?;
        let (m, n, k) = (
            to_i32(kern, "n", self.shape.n)?,
            to_i32(kern, "m", self.shape.m)?,
            to_i32(kern, "k", self.k_pad)?,
        );
        let (alpha, beta) = (1i32, 0i32);
        let stream = &self.dev.stream;
        let (bt, _rb) = self.bt.device_ptr(stream);
        let (a, _ra) = self.a.device_ptr(stream);
        let (c, _rc) = self.c.device_ptr_mut(stream);
        // Column-major: Cᵀ[n×m] = op(Bt)ᵀ… with Bt stored k_pad×n (ld k_pad, transposed)
        // and A stored k_pad×m (ld k_pad); C is n×m with ld n.
        // SAFETY: the pointers address buffers of n·k_pad, m·k_pad and m·n elements, matching
        // the dimensions and leading dimensions; alpha/beta point to live i32 values.
        unsafe {
            cudarc::cublas::result::gemm_ex(
                *blas.handle(),
                cublasOperation_t::CUBLAS_OP_T,
                cublasOperation_t::CUBLAS_OP_N,
                m,
                n,
                k,
                (&alpha) as *const i32 as *const _,
                bt as *const _,
                cudaDataType_t::CUDA_R_8I,
                k,
                a as *const _,
                cudaDataType_t::CUDA_R_8I,
                k,
                (&beta) as *const i32 as *const _,
                c as *mut _,
                cudaDataType_t::CUDA_R_32I,
                m,
                cublasComputeType_t::CUBLAS_COMPUTE_32I,
                cublasGemmAlgo_t::CUBLAS_GEMM_DEFAULT,
            )
        }
        .map_err(|e| {
            self.dev
                .unsupported(kern, format!("cublasGemmEx int8 → i32 refused: {e:?}"))
        })
    }

    fn read_output(&mut self) -> Result<Output> {
        self.dev.synchronize()?;
        Ok(Output::I32(
            self.dev
                .stream
                .clone_dtoh(&self.c)
                .map_err(cuda_err("readback"))?,
        ))
    }
}

struct CudaConv<'a> {
    dev: &'a CudaDevice,
    func: CudaFunction,
    shape: Conv2dShape,
    input: CudaSlice<f32>,
    weights: CudaSlice<f32>,
    out: CudaSlice<f32>,
}

impl PreparedKernel for CudaConv<'_> {
    fn launch(&mut self) -> Result<()> {
        let kern = KernelKind::Conv2dF32;
        let s = self.shape;
        let total = s.output_len() as u64;
        let blocks = to_u32(kern, "blocks", (s.output_len()).div_ceil(256))?;
        let v = [
            to_u32(kern, "in_channels", s.in_channels)?,
            to_u32(kern, "height", s.height)?,
            to_u32(kern, "width", s.width)?,
            to_u32(kern, "out_channels", s.out_channels)?,
            to_u32(kern, "kernel_h", s.kernel_h)?,
            to_u32(kern, "kernel_w", s.kernel_w)?,
            to_u32(kern, "stride", s.stride)?,
            to_u32(kern, "padding", s.padding)?,
            to_u32(kern, "out_h", s.out_height().unwrap_or(0))?,
            to_u32(kern, "out_w", s.out_width().unwrap_or(0))?,
        ];
        let mut builder = self.dev.stream.launch_builder(&self.func);
        builder
            .arg(&self.input)
            .arg(&self.weights)
            .arg(&mut self.out);
        for x in &v {
            builder.arg(x);
        }
        builder.arg(&total);
        let cfg = LaunchConfig {
            grid_dim: (blocks, 1, 1),
            block_dim: (256, 1, 1),
            shared_mem_bytes: 0,
        };
        // SAFETY: argument types and order match `conv2d_f32` in kernels.cu; the kernel
        // bounds-checks `idx < total` and the buffers hold the shape's element counts.
        unsafe { builder.launch(cfg) }
            .map(|_| ())
            .map_err(cuda_err("launching conv2d_f32"))
    }

    fn read_output(&mut self) -> Result<Output> {
        self.dev.synchronize()?;
        Ok(Output::F32(
            self.dev
                .stream
                .clone_dtoh(&self.out)
                .map_err(cuda_err("readback"))?,
        ))
    }
}

struct CudaRecurrent<'a> {
    dev: &'a CudaDevice,
    func: CudaFunction,
    kernel: KernelKind,
    shape: RnnShape,
    x: CudaSlice<f32>,
    w_ih: CudaSlice<f32>,
    w_hh: CudaSlice<f32>,
    bias: CudaSlice<f32>,
    hs: CudaSlice<f32>,
    cell: CudaSlice<f32>,
}

impl<'a> CudaRecurrent<'a> {
    fn new(
        dev: &'a CudaDevice,
        kernel: KernelKind,
        shape: RnnShape,
        x: &[f32],
        p: &RnnParams,
    ) -> Result<Self> {
        let up = cuda_err("upload");
        let s = &dev.stream;
        let state = shape.batch * shape.hidden_size;
        Ok(CudaRecurrent {
            dev,
            func: dev.function(kernel, "recurrent_step")?,
            kernel,
            shape,
            x: s.clone_htod(x).map_err(&up)?,
            w_ih: s.clone_htod(&p.w_ih).map_err(&up)?,
            w_hh: s.clone_htod(&p.w_hh).map_err(&up)?,
            bias: s.clone_htod(&p.bias).map_err(&up)?,
            hs: s.alloc_zeros((shape.seq_len + 1) * state).map_err(&up)?,
            cell: s.alloc_zeros(state).map_err(&up)?,
        })
    }
}

impl PreparedKernel for CudaRecurrent<'_> {
    fn launch(&mut self) -> Result<()> {
        let k = self.kernel;
        let s = self.shape;
        let state = s.batch * s.hidden_size;
        self.dev
            .stream
            .memset_zeros(&mut self.cell)
            .map_err(cuda_err("clearing cell state"))?;
        let (batch, input, hidden) = (
            to_u32(k, "batch", s.batch)?,
            to_u32(k, "input", s.input_size)?,
            to_u32(k, "hidden", s.hidden_size)?,
        );
        let g = gates(k) as u32;
        let cfg = LaunchConfig {
            grid_dim: (to_u32(k, "blocks", state.div_ceil(64))?, 1, 1),
            block_dim: (64, 1, 1),
            shared_mem_bytes: 0,
        };
        for t in 0..to_u32(k, "seq_len", s.seq_len)? {
            let mut builder = self.dev.stream.launch_builder(&self.func);
            builder
                .arg(&self.x)
                .arg(&self.w_ih)
                .arg(&self.w_hh)
                .arg(&self.bias)
                .arg(&mut self.hs)
                .arg(&mut self.cell)
                .arg(&batch)
                .arg(&input)
                .arg(&hidden)
                .arg(&g)
                .arg(&t);
            // SAFETY: argument types and order match `recurrent_step` in kernels.cu; hs has
            // T+1 slots of batch·hidden and the kernel bounds-checks its index.
            unsafe { builder.launch(cfg) }.map_err(cuda_err("launching recurrent_step"))?;
        }
        Ok(())
    }

    fn read_output(&mut self) -> Result<Output> {
        self.dev.synchronize()?;
        let all = self
            .dev
            .stream
            .clone_dtoh(&self.hs)
            .map_err(cuda_err("readback"))?;
        let state = self.shape.batch * self.shape.hidden_size;
        Ok(Output::F32(all[state..].to_vec()))
    }
}

//! The wgpu backend: WGSL compute shaders run through wgpu's Vulkan backend only
//! (`Backends::VULKAN`), so a machine without a Vulkan driver reports "no wgpu Vulkan
//! adapter" instead of silently falling back to GL. Works on Mesa's lavapipe (CPU).
//!
//! Environment note: with lavapipe, the Vulkan loader/Mesa print `XDG_RUNTIME_DIR is
//! invalid or not set` on stderr unless `XDG_RUNTIME_DIR` names a mode-700 directory.
//! This crate does not change the environment; the project's scripts set it.

mod kernels;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, mpsc};

use wgpu::util::DeviceExt;

use crate::backend::{Backend, BackendKind, PreparedKernel};
use crate::error::{AccelError, Result};
use crate::fingerprint::{CpuInfo, Fingerprint};
use crate::kernel::KernelKind;
use crate::workload::Workload;

/// A wgpu device on a Vulkan adapter.
pub struct WgpuDevice {
    device: wgpu::Device,
    queue: wgpu::Queue,
    info: wgpu::AdapterInfo,
    limits: wgpu::Limits,
    shader_f16: bool,
    errors: Arc<Mutex<Vec<String>>>,
    pipelines: Mutex<HashMap<&'static str, wgpu::ComputePipeline>>,
}

impl std::fmt::Debug for WgpuDevice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WgpuDevice")
            .field("adapter", &self.info.name)
            .finish_non_exhaustive()
    }
}

impl WgpuDevice {
    /// Opens the first high-performance Vulkan adapter.
    ///
    /// Fails with [`AccelError::NoWgpuAdapter`] when no Vulkan adapter is found or the
    /// adapter reports a backend other than Vulkan; wgpu panics are caught and reported.
    pub fn new() -> Result<Self> {
        std::panic::catch_unwind(Self::open).unwrap_or_else(|panic| {
            Err(AccelError::NoWgpuAdapter(format!(
                "wgpu panicked while opening: {}",
                panic_text(&panic)
            )))
        })
    }

    fn open() -> Result<Self> {
        let instance = wgpu::Instance::new(wgpu::InstanceDescriptor {
            backends: wgpu::Backends::VULKAN,
            flags: wgpu::InstanceFlags::empty(),
            ..wgpu::InstanceDescriptor::new_without_display_handle()
        });
        let adapter = pollster::block_on(instance.request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::HighPerformance,
            ..Default::default()
        }))
        .map_err(|e| {
            AccelError::NoWgpuAdapter(format!(
                "{e} (only Backends::VULKAN is requested; install a Vulkan driver, e.g. Debian's mesa-vulkan-drivers for lavapipe)"
            ))
        })?;
        let info = adapter.get_info();
        if info.backend != wgpu::Backend::Vulkan {
            return Err(AccelError::NoWgpuAdapter(format!(
                "adapter {:?} uses {:?}, not Vulkan",
                info.name, info.backend
            )));
        }
        let shader_f16 = adapter.features().contains(wgpu::Features::SHADER_F16);
        let required_features = if shader_f16 {
            wgpu::Features::SHADER_F16
        } else {
            wgpu::Features::empty()
        };
        let limits = adapter.limits();
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("jiebang-accel"),
            required_features,
            required_limits: limits.clone(),
            ..Default::default()
        }))
        .map_err(|e| {
            AccelError::NoWgpuAdapter(format!("adapter {:?} refused a device: {e}", info.name))
        })?;
        let errors = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&errors);
        device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| {
            if let Ok(mut list) = sink.lock() {
                list.push(e.to_string());
            }
        }));
        let lost = Arc::clone(&errors);
        device.set_device_lost_callback(move |reason, message| {
            if let Ok(mut list) = lost.lock() {
                list.push(format!("device lost ({reason:?}): {message}"));
            }
        });
        Ok(WgpuDevice {
            device,
            queue,
            info,
            limits,
            shader_f16,
            errors,
            pipelines: Mutex::new(HashMap::new()),
        })
    }

    /// The adapter as wgpu reports it (name, backend, driver, device type).
    pub fn adapter_info(&self) -> &wgpu::AdapterInfo {
        &self.info
    }

    /// Whether the adapter supports `SHADER_F16` (needed by `gemm_f16`).
    pub fn supports_shader_f16(&self) -> bool {
        self.shader_f16
    }

    /// Returns the first error wgpu reported since the last check, as a typed error.
    fn check_errors(&self, what: &str) -> Result<()> {
        let mut list = self
            .errors
            .lock()
            .map_err(|_| AccelError::Wgpu("error list poisoned".into()))?;
        if list.is_empty() {
            return Ok(());
        }
        let all = list.drain(..).collect::<Vec<_>>().join("; ");
        Err(AccelError::Wgpu(format!("{what}: {all}")))
    }

    fn unsupported(&self, kernel: KernelKind, reason: String) -> AccelError {
        AccelError::Unsupported {
            kernel,
            backend: BackendKind::Wgpu,
            device: self.info.name.clone(),
            reason,
        }
    }

    fn pipeline(
        &self,
        name: &'static str,
        source: impl FnOnce() -> String,
    ) -> Result<wgpu::ComputePipeline> {
        let mut cache = self
            .pipelines
            .lock()
            .map_err(|_| AccelError::Wgpu("pipeline cache poisoned".into()))?;
        if let Some(p) = cache.get(name) {
            return Ok(p.clone());
        }
        let module = self
            .device
            .create_shader_module(wgpu::ShaderModuleDescriptor {
                label: Some(name),
                source: wgpu::ShaderSource::Wgsl(source().into()),
            });
        let pipeline = self
            .device
            .create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(name),
                layout: None,
                module: &module,
                entry_point: Some("main"),
                compilation_options: Default::default(),
                cache: None,
            });
        self.check_errors(&format!("building pipeline {name}"))?;
        cache.insert(name, pipeline.clone());
        Ok(pipeline)
    }

    fn storage(&self, kernel: KernelKind, label: &str, bytes: &[u8]) -> Result<wgpu::Buffer> {
        let padded = pad4(bytes);
        self.check_size(kernel, label, padded.len() as u64)?;
        Ok(self
            .device
            .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(label),
                contents: &padded,
                usage: wgpu::BufferUsages::STORAGE
                    | wgpu::BufferUsages::COPY_SRC
                    | wgpu::BufferUsages::COPY_DST,
            }))
    }

    fn uniform(&self, label: &str, words: &[u32]) -> wgpu::Buffer {
        self.device
            .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(label),
                contents: &words_to_bytes(words),
                usage: wgpu::BufferUsages::UNIFORM,
            })
    }

    fn check_size(&self, kernel: KernelKind, label: &str, bytes: u64) -> Result<()> {
        let limit = self
            .limits
            .max_storage_buffer_binding_size
            .min(self.limits.max_buffer_size);
        if bytes > limit {
            return Err(self.unsupported(
                kernel,
                format!("buffer {label} needs {bytes} bytes, the adapter allows {limit}"),
            ));
        }
        Ok(())
    }

    fn read_buffer(&self, buffer: &wgpu::Buffer, bytes: u64) -> Result<Vec<u8>> {
        let size = bytes.div_ceil(4) * 4;
        let staging = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("readback"),
            size,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut encoder = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("readback"),
            });
        encoder.copy_buffer_to_buffer(buffer, 0, &staging, 0, size);
        self.queue.submit(Some(encoder.finish()));
        let (tx, rx) = mpsc::channel();
        staging.slice(..).map_async(wgpu::MapMode::Read, move |r| {
            let _ = tx.send(r);
        });
        self.synchronize()?;
        rx.recv()
            .map_err(|_| AccelError::Wgpu("map callback never ran".into()))?
            .map_err(|e| AccelError::Wgpu(format!("mapping readback buffer: {e}")))?;
        let data = {
            let view = staging
                .slice(..)
                .get_mapped_range()
                .map_err(|e| AccelError::Wgpu(format!("reading mapped range: {e}")))?;
            view[..bytes as usize].to_vec()
        };
        staging.unmap();
        self.check_errors("reading back results")?;
        Ok(data)
    }
}

impl Backend for WgpuDevice {
    fn kind(&self) -> BackendKind {
        BackendKind::Wgpu
    }

    fn fingerprint(&self) -> Fingerprint {
        let cpu = CpuInfo::read();
        let mut details = BTreeMap::new();
        details.insert("vendor_id".into(), format!("{:#x}", self.info.vendor));
        details.insert("device_id".into(), format!("{:#x}", self.info.device));
        details.insert("pci_bus_id".into(), self.info.device_pci_bus_id.clone());
        details.insert("shader_f16".into(), self.shader_f16.to_string());
        details.insert(
            "subgroup_min_size".into(),
            self.info.subgroup_min_size.to_string(),
        );
        details.insert(
            "subgroup_max_size".into(),
            self.info.subgroup_max_size.to_string(),
        );
        details.insert(
            "max_storage_buffer_binding_size".into(),
            self.limits.max_storage_buffer_binding_size.to_string(),
        );
        details.insert("wgpu".into(), "30".into());
        Fingerprint {
            backend: BackendKind::Wgpu,
            device_name: self.info.name.clone(),
            vendor: vendor_name(self.info.vendor),
            device_type: device_type_name(self.info.device_type).into(),
            backend_api: format!("{:?}", self.info.backend),
            driver_name: self.info.driver.clone(),
            driver_version: self.info.driver_info.clone(),
            cpu_model: cpu.model_name,
            threads: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
            details,
        }
    }

    fn synchronize(&self) -> Result<()> {
        self.device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|e| AccelError::Wgpu(format!("waiting for the device: {e}")))?;
        self.check_errors("device work")
    }

    fn prepare<'a>(&'a self, workload: &Workload) -> Result<Box<dyn PreparedKernel + 'a>> {
        workload.check()?;
        kernels::prepare(self, workload)
    }
}

fn pad4(bytes: &[u8]) -> Vec<u8> {
    let mut v = bytes.to_vec();
    v.resize(bytes.len().div_ceil(4).max(1) * 4, 0);
    v
}

fn words_to_bytes(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

fn vendor_name(id: u32) -> String {
    let name = match id {
        0x10de => "NVIDIA",
        0x1002 => "AMD",
        0x8086 => "Intel",
        0x13b5 => "ARM",
        0x5143 => "Qualcomm",
        0x106b => "Apple",
        0x10005 => "Mesa",
        _ => return format!("{id:#x}"),
    };
    format!("{name} ({id:#x})")
}

fn device_type_name(t: wgpu::DeviceType) -> &'static str {
    match t {
        wgpu::DeviceType::Cpu => "cpu",
        wgpu::DeviceType::DiscreteGpu => "discrete-gpu",
        wgpu::DeviceType::IntegratedGpu => "integrated-gpu",
        wgpu::DeviceType::VirtualGpu => "virtual-gpu",
        wgpu::DeviceType::Other => "other",
    }
}

pub(crate) fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

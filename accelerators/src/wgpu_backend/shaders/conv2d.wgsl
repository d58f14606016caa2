// Direct 2-D convolution, NCHW input, OIHW weights, square stride and zero padding,
// f32 accumulation. One invocation per output element; the dispatch is 2-D (rows of
// `row_threads` invocations) so large outputs stay under the per-dimension limit.

struct Params {
    batch: u32, in_c: u32, h: u32, w: u32,
    out_c: u32, kh: u32, kw: u32, stride: u32,
    pad: u32, oh: u32, ow: u32, total: u32,
    row_threads: u32, p1: u32, p2: u32, p3: u32,
}

@group(0) @binding(0) var<storage, read> input: array<f32>;
@group(0) @binding(1) var<storage, read> weights: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let idx = gid.x + gid.y * p.row_threads;
    if (idx >= p.total) {
        return;
    }
    let ox = idx % p.ow;
    let oy = (idx / p.ow) % p.oh;
    let o = (idx / (p.ow * p.oh)) % p.out_c;
    let n = idx / (p.ow * p.oh * p.out_c);
    var acc = 0.0;
    for (var c = 0u; c < p.in_c; c++) {
        let in_base = (n * p.in_c + c) * p.h;
        let w_base = (o * p.in_c + c) * p.kh;
        for (var ky = 0u; ky < p.kh; ky++) {
            let iy = i32(oy * p.stride + ky) - i32(p.pad);
            if (iy < 0 || iy >= i32(p.h)) {
                continue;
            }
            for (var kx = 0u; kx < p.kw; kx++) {
                let ix = i32(ox * p.stride + kx) - i32(p.pad);
                if (ix < 0 || ix >= i32(p.w)) {
                    continue;
                }
                acc = fma(input[(in_base + u32(iy)) * p.w + u32(ix)], weights[(w_base + ky) * p.kw + kx], acc);
            }
        }
    }
    out[idx] = acc;
}

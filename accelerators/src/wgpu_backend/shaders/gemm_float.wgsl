// Tiled GEMM, row-major C[m×n] = A[m×k] · B[k×n], f32 accumulation.
// ELEM is replaced by f32 or f16 when the shader is built (f16 needs SHADER_F16).
// A workgroup of 16×16 threads computes a 64×64 tile of C, each thread a 4×4 block
// (rows ty + 16i, columns tx + 16j, so neighbouring threads touch neighbouring columns).
// Bounds checks make any m, n, k valid, not only multiples of the tile.
ENABLE_LINE

struct Params { m: u32, n: u32, k: u32, pad: u32 }

@group(0) @binding(0) var<storage, read> a: array<ELEM>;
@group(0) @binding(1) var<storage, read> b: array<ELEM>;
@group(0) @binding(2) var<storage, read_write> c: array<ELEM>;
@group(0) @binding(3) var<uniform> p: Params;

const TM: u32 = 64u;
const TN: u32 = 64u;
const TK: u32 = 16u;

var<workgroup> tile_a: array<f32, 1024>; // TM × TK
var<workgroup> tile_b: array<f32, 1024>; // TK × TN

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let row0 = wg.y * TM;
    let col0 = wg.x * TN;
    let tx = lid.x;
    let ty = lid.y;
    let tid = ty * 16u + tx;
    var acc: array<array<f32, 4>, 4>;
    for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) {
            acc[i][j] = 0.0;
        }
    }
    for (var t = 0u; t < p.k; t += TK) {
        for (var l = 0u; l < 4u; l++) {
            let idx = tid + l * 256u;
            // A tile element (r, q): row row0 + r, column t + q.
            let ar = idx / TK;
            let aq = idx % TK;
            let gr = row0 + ar;
            let gk = t + aq;
            var av = 0.0;
            if (gr < p.m && gk < p.k) {
                av = f32(a[gr * p.k + gk]);
            }
            tile_a[idx] = av;
            // B tile element (q, s): row t + q, column col0 + s.
            let bq = idx / TN;
            let bs = idx % TN;
            let bk = t + bq;
            let gc = col0 + bs;
            var bv = 0.0;
            if (bk < p.k && gc < p.n) {
                bv = f32(b[bk * p.n + gc]);
            }
            tile_b[idx] = bv;
        }
        workgroupBarrier();
        for (var q = 0u; q < TK; q++) {
            var ra: array<f32, 4>;
            var rb: array<f32, 4>;
            for (var i = 0u; i < 4u; i++) {
                ra[i] = tile_a[(ty + 16u * i) * TK + q];
                rb[i] = tile_b[q * TN + tx + 16u * i];
            }
            for (var i = 0u; i < 4u; i++) {
                for (var j = 0u; j < 4u; j++) {
                    acc[i][j] = fma(ra[i], rb[j], acc[i][j]);
                }
            }
        }
        workgroupBarrier();
    }
    for (var i = 0u; i < 4u; i++) {
        let r = row0 + ty + 16u * i;
        for (var j = 0u; j < 4u; j++) {
            let col = col0 + tx + 16u * j;
            if (r < p.m && col < p.n) {
                c[r * p.n + col] = ELEM(acc[i][j]);
            }
        }
    }
}

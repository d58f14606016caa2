// int8 GEMM with i32 accumulation. A is [m × k4] u32 words, B is stored transposed as
// [n × k4] words; each word packs 4 consecutive k values as i8 (lowest byte first), and
// k is zero-padded to a multiple of 4 (zeros add nothing). Products are formed by
// sign-extending each byte with extractBits, so no 4×8-bit dot-product extension is
// needed. Tiling as in gemm_float.wgsl: 64×64 tile per 16×16 workgroup, 8 words of k
// (32 values) per step.

struct Params { m: u32, n: u32, k4: u32, pad: u32 }

@group(0) @binding(0) var<storage, read> a: array<u32>;
@group(0) @binding(1) var<storage, read> bt: array<u32>;
@group(0) @binding(2) var<storage, read_write> c: array<i32>;
@group(0) @binding(3) var<uniform> p: Params;

const TM: u32 = 64u;
const TN: u32 = 64u;
const TK: u32 = 8u;

var<workgroup> tile_a: array<u32, 512>; // TM × TK words
var<workgroup> tile_b: array<u32, 512>; // TN × TK words (transposed)

fn dot4(x: u32, y: u32) -> i32 {
    let xi = bitcast<i32>(x);
    let yi = bitcast<i32>(y);
    var s = 0i;
    for (var q = 0u; q < 32u; q += 8u) {
        s += extractBits(xi, q, 8u) * extractBits(yi, q, 8u);
    }
    return s;
}

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let row0 = wg.y * TM;
    let col0 = wg.x * TN;
    let tx = lid.x;
    let ty = lid.y;
    let tid = ty * 16u + tx;
    var acc: array<array<i32, 4>, 4>;
    for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) {
            acc[i][j] = 0i;
        }
    }
    for (var t = 0u; t < p.k4; t += TK) {
        for (var l = 0u; l < 2u; l++) {
            let idx = tid + l * 256u;
            let r = idx / TK;
            let q = idx % TK;
            let gk = t + q;
            var av = 0u;
            if (row0 + r < p.m && gk < p.k4) {
                av = a[(row0 + r) * p.k4 + gk];
            }
            tile_a[idx] = av;
            var bv = 0u;
            if (col0 + r < p.n && gk < p.k4) {
                bv = bt[(col0 + r) * p.k4 + gk];
            }
            tile_b[idx] = bv;
        }
        workgroupBarrier();
        for (var q = 0u; q < TK; q++) {
            var ra: array<u32, 4>;
            var rb: array<u32, 4>;
            for (var i = 0u; i < 4u; i++) {
                ra[i] = tile_a[(ty + 16u * i) * TK + q];
                rb[i] = tile_b[(tx + 16u * i) * TK + q];
            }
            for (var i = 0u; i < 4u; i++) {
                for (var j = 0u; j < 4u; j++) {
                    acc[i][j] += dot4(ra[i], rb[j]);
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
                c[r * p.n + col] = acc[i][j];
            }
        }
    }
}

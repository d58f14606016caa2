// One time step of an LSTM (gates = 4, order i, f, g, o) or tanh RNN (gates = 1).
// `hs` holds T+1 hidden-state slots [B, H]; slot 0 is the zero initial state and step t
// reads slot t and writes slot t + 1, so steps are separate dispatches in one submit.
// The cell state is updated in place: only invocation (b, j) touches cell[b, j].

struct Params { batch: u32, input: u32, hidden: u32, gates: u32 }
struct Step { t: u32, p1: u32, p2: u32, p3: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w_ih: array<f32>;
@group(0) @binding(2) var<storage, read> w_hh: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> hs: array<f32>;
@group(0) @binding(5) var<storage, read_write> cell: array<f32>;
@group(0) @binding(6) var<uniform> p: Params;
@group(0) @binding(7) var<uniform> step: Step;

fn sigmoid(v: f32) -> f32 {
    return 1.0 / (1.0 + exp(-v));
}

// tanh is exactly ±1 in f32 beyond ±20; clamping keeps exp-based implementations
// from producing inf/inf.
fn tanh_safe(v: f32) -> f32 {
    return tanh(clamp(v, -20.0, 20.0));
}

fn gate(r: u32, b: u32) -> f32 {
    var acc = bias[r];
    let x_base = (step.t * p.batch + b) * p.input;
    for (var q = 0u; q < p.input; q++) {
        acc = fma(w_ih[r * p.input + q], x[x_base + q], acc);
    }
    let h_base = (step.t * p.batch + b) * p.hidden;
    for (var q = 0u; q < p.hidden; q++) {
        acc = fma(w_hh[r * p.hidden + q], hs[h_base + q], acc);
    }
    return acc;
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let idx = gid.x;
    if (idx >= p.batch * p.hidden) {
        return;
    }
    let b = idx / p.hidden;
    let j = idx % p.hidden;
    let out_idx = ((step.t + 1u) * p.batch + b) * p.hidden + j;
    if (p.gates == 4u) {
        let i_g = sigmoid(gate(j, b));
        let f_g = sigmoid(gate(p.hidden + j, b));
        let g_g = tanh_safe(gate(2u * p.hidden + j, b));
        let o_g = sigmoid(gate(3u * p.hidden + j, b));
        let c_new = f_g * cell[idx] + i_g * g_g;
        cell[idx] = c_new;
        hs[out_idx] = o_g * tanh_safe(c_new);
    } else {
        hs[out_idx] = tanh_safe(gate(j, b));
    }
}

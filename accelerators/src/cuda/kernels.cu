// CUDA C kernels compiled at run time with NVRTC: direct conv2d and one recurrent step.
// They mirror the WGSL shaders (conv2d.wgsl, recurrent.wgsl) line for line.

extern "C" __global__ void conv2d_f32(
    const float* input, const float* weights, float* out,
    unsigned int in_c, unsigned int h, unsigned int w,
    unsigned int out_c, unsigned int kh, unsigned int kw,
    unsigned int stride, unsigned int pad, unsigned int oh, unsigned int ow,
    unsigned long long total)
{
    unsigned long long idx = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= total) return;
    unsigned int ox = (unsigned int)(idx % ow);
    unsigned int oy = (unsigned int)((idx / ow) % oh);
    unsigned int o = (unsigned int)((idx / ((unsigned long long)ow * oh)) % out_c);
    unsigned long long n = idx / ((unsigned long long)ow * oh * out_c);
    float acc = 0.0f;
    for (unsigned int c = 0; c < in_c; ++c) {
        unsigned long long in_base = (n * in_c + c) * h;
        unsigned long long w_base = ((unsigned long long)o * in_c + c) * kh;
        for (unsigned int ky = 0; ky < kh; ++ky) {
            int iy = (int)(oy * stride + ky) - (int)pad;
            if (iy < 0 || iy >= (int)h) continue;
            for (unsigned int kx = 0; kx < kw; ++kx) {
                int ix = (int)(ox * stride + kx) - (int)pad;
                if (ix < 0 || ix >= (int)w) continue;
                acc = fmaf(input[(in_base + iy) * w + ix], weights[(w_base + ky) * kw + kx], acc);
            }
        }
    }
    out[idx] = acc;
}

__device__ float sigmoid_f(float v) { return 1.0f / (1.0f + expf(-v)); }

__device__ float gate_pre(const float* x, const float* w_ih, const float* w_hh, const float* bias,
                          const float* hs, unsigned int r, unsigned int b, unsigned int batch,
                          unsigned int input, unsigned int hidden, unsigned int t)
{
    float acc = bias[r];
    const float* xt = x + ((unsigned long long)t * batch + b) * input;
    for (unsigned int q = 0; q < input; ++q) acc = fmaf(w_ih[(unsigned long long)r * input + q], xt[q], acc);
    const float* hp = hs + ((unsigned long long)t * batch + b) * hidden;
    for (unsigned int q = 0; q < hidden; ++q) acc = fmaf(w_hh[(unsigned long long)r * hidden + q], hp[q], acc);
    return acc;
}

// hs holds T+1 slots of [batch, hidden]; step t reads slot t and writes slot t+1.
extern "C" __global__ void recurrent_step(
    const float* x, const float* w_ih, const float* w_hh, const float* bias,
    float* hs, float* cell,
    unsigned int batch, unsigned int input, unsigned int hidden, unsigned int gates, unsigned int t)
{
    unsigned int idx = blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= batch * hidden) return;
    unsigned int b = idx / hidden;
    unsigned int j = idx % hidden;
    unsigned long long out_idx = ((unsigned long long)(t + 1) * batch + b) * hidden + j;
    if (gates == 4) {
        float i_g = sigmoid_f(gate_pre(x, w_ih, w_hh, bias, hs, j, b, batch, input, hidden, t));
        float f_g = sigmoid_f(gate_pre(x, w_ih, w_hh, bias, hs, hidden + j, b, batch, input, hidden, t));
        float g_g = tanhf(gate_pre(x, w_ih, w_hh, bias, hs, 2 * hidden + j, b, batch, input, hidden, t));
        float o_g = sigmoid_f(gate_pre(x, w_ih, w_hh, bias, hs, 3 * hidden + j, b, batch, input, hidden, t));
        float c_new = f_g * cell[idx] + i_g * g_g;
        cell[idx] = c_new;
        hs[out_idx] = o_g * tanhf(c_new);
    } else {
        hs[out_idx] = tanhf(gate_pre(x, w_ih, w_hh, bias, hs, j, b, batch, input, hidden, t));
    }
}

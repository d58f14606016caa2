"""Times numpy's f32 matmul (n x n x n) the way kernel_rate times jiebang-accel: inputs
made once, `warm` untimed runs, then `iters` timed runs into a preallocated output.
Prints one JSON line with the median and the BLAS library numpy used.
Usage: numpy_gemm.py N WARMUP ITERATIONS"""
import numpy as np, time, sys, json
try:
    import threadpoolctl
except ImportError:
    threadpoolctl = None
n=int(sys.argv[1]); warm=int(sys.argv[2]); iters=int(sys.argv[3])
rng=np.random.default_rng(1)
a=rng.uniform(-1,1,(n,n)).astype(np.float32); b=rng.uniform(-1,1,(n,n)).astype(np.float32)
c=np.empty((n,n),np.float32)
for _ in range(warm): np.matmul(a,b,out=c)
ts=[]
for _ in range(iters):
    t=time.perf_counter(); np.matmul(a,b,out=c); ts.append(time.perf_counter()-t)
ts.sort(); med=ts[len(ts)//2] if len(ts)%2 else (ts[len(ts)//2-1]+ts[len(ts)//2])/2
info=[i for i in threadpoolctl.threadpool_info() if i.get('user_api')=='blas'] if threadpoolctl else []
print(json.dumps({"n":n,"median_seconds":med,"ops_per_second":2*n**3/med,"numpy":np.__version__,"blas":info[0] if info else None}))

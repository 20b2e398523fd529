using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using AdaBelief.Optimization.Kernels;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLNet.AdaBelief.Benchmarks;

/// <summary>
/// One optimizer step over N parameters: the product's fused kernel (widest width and pinned to 256 bits), a literal
/// scalar loop of the reference equations, and "stream7", a pass with the update's exact memory traffic (read p, g,
/// m, s; write p, m, s: 28 bytes per element) and trivial arithmetic, the memory limit of the update.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 5, iterationCount: 15)]
[Config(typeof(Config))]
[HideColumns("Error", "StdDev", "RatioSD")]
public class OptimizerStepBenchmarks
{
    private const int AlignmentBytes = 64;
    private const int Seed = 20240611;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(new NanosecondsPerElementColumn());
            AddColumn(StatisticColumn.Median);
        }
    }

    // Each method updates its own parameters and moments; the gradient is shared and only read.
    private float[] _gradientStore = [];
    private float[] _fusedParameterStore = [];
    private float[] _fused256ParameterStore = [];
    private float[] _naiveParameterStore = [];
    private float[] _naiveMStore = [];
    private float[] _naiveSStore = [];
    private float[] _streamParameterStore = [];
    private float[] _streamMStore = [];
    private float[] _streamSStore = [];
    private int _gradientOffset;
    private int _fusedParameterOffset;
    private int _fused256ParameterOffset;
    private int _naiveParameterOffset;
    private int _naiveMOffset;
    private int _naiveSOffset;
    private int _streamParameterOffset;
    private int _streamMOffset;
    private int _streamSOffset;

    private AdaBeliefOptimizer _fused = null!;
    private AdaBeliefOptimizer _fused256 = null!;
    private AdaBeliefOptimizer _fusedOneCore = null!;
    private float[] _fusedOneCoreParameterStore = [];
    private int _fusedOneCoreParameterOffset;
    private long _naiveStep;

    /// <summary>
    /// The tensor sizes: 10³ (in cache) to 10⁷; <c>STEP_BENCHMARK_SIZES</c> (comma-separated) runs only the ones given,
    /// for example <c>STEP_BENCHMARK_SIZES=1000</c> for the in-cache step alone.
    /// </summary>
    public static IEnumerable<int> Sizes =>
        Environment.GetEnvironmentVariable("STEP_BENCHMARK_SIZES") is { Length: > 0 } sizes
            ? sizes.Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture))
            : [1_000, 100_000, 1_000_000, 10_000_000];

    [ParamsSource(nameof(Sizes))]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(Seed);
        (_gradientStore, _gradientOffset) = Allocate(N);
        (_fusedParameterStore, _fusedParameterOffset) = Allocate(N);
        (_fused256ParameterStore, _fused256ParameterOffset) = Allocate(N);
        (_fusedOneCoreParameterStore, _fusedOneCoreParameterOffset) = Allocate(N);
        (_naiveParameterStore, _naiveParameterOffset) = Allocate(N);
        (_naiveMStore, _naiveMOffset) = Allocate(N);
        (_naiveSStore, _naiveSOffset) = Allocate(N);
        (_streamParameterStore, _streamParameterOffset) = Allocate(N);
        (_streamMStore, _streamMOffset) = Allocate(N);
        (_streamSStore, _streamSOffset) = Allocate(N);

        Span<float> g = Gradients;
        Span<float> p = FusedParameters;
        Span<float> m = NaiveM;
        Span<float> s = NaiveS;
        for (int i = 0; i < N; i++)
        {
            g[i] = (float)(random.NextDouble() * 2 - 1);                 // varied, both signs
            p[i] = (float)(random.NextDouble() * 2 - 1);
            m[i] = (float)((random.NextDouble() * 2 - 1) * 1e-2);        // small
            s[i] = (float)(1e-6 + random.NextDouble() * 1e-3);           // positive
        }

        p.CopyTo(Fused256Parameters);
        p.CopyTo(FusedOneCoreParameters);
        p.CopyTo(NaiveParameters);
        p.CopyTo(StreamParameters);
        m.CopyTo(StreamM);
        s.CopyTo(StreamS);

        // Default options: learning rate 1e-3, non-finite gradients throw, so the kernel runs its fused guard.
        _fused = new AdaBeliefOptimizer(N, new AdaBeliefOptions());
        _fused256 = new AdaBeliefOptimizer(N, new AdaBeliefOptions()) { Width = KernelWidth.Vector256 };
        _fusedOneCore = new AdaBeliefOptimizer(N, new AdaBeliefOptions()) { ParallelThreshold = int.MaxValue };
        // The optimizers own their moments and start them at zero; after the warm-up steps every method's m and s
        // hold ordinary normal values, so the starting point does not change the timing.
        _naiveStep = 0;
    }

    [Benchmark(Baseline = false)]
    public bool FusedStep() => _fused.Step(FusedParameters, Gradients);

    [Benchmark]
    public bool FusedStepVector256() => _fused256.Step(Fused256Parameters, Gradients);

    /// <summary>The fused step kept on one core at every size (the product spreads tensors of 2^19 elements and more).</summary>
    [Benchmark]
    public bool FusedStepOneCore() => _fusedOneCore.Step(FusedOneCoreParameters, Gradients);

    [Benchmark]
    public void NaiveScalar()
    {
        long t = ++_naiveStep;
        const double beta1 = 0.9, beta2 = 0.999, learningRate = 1e-3, epsilon = 1e-16;
        double firstCorrection = 1 - Math.Pow(beta1, t);
        double secondCorrection = 1 - Math.Pow(beta2, t);
        NaiveLoop(
            NaiveParameters, Gradients, NaiveM, NaiveS,
            (float)beta1, (float)beta2, (float)learningRate, (float)epsilon, (float)firstCorrection, (float)secondCorrection);
    }

    [Benchmark(Baseline = true)]
    public void Stream7() => Stream7Loop(StreamParameters, Gradients, StreamM, StreamS, 1e-7f);

    /// <summary>Stream7 on every core, split into ranges as the product splits a large tensor: the memory limit for a multi-core step.</summary>
    [Benchmark]
    public void Stream7AllCores()
    {
        int workers = Environment.ProcessorCount;
        int chunk = (N / workers + 15) & ~15;
        Parallel.For(0, workers, w =>
        {
            int start = Math.Min(N, w * chunk);
            int count = w == workers - 1 ? N - start : Math.Min(chunk, N - start);
            Stream7Loop(
                _streamParameterStore.AsSpan(_streamParameterOffset + start, count),
                _gradientStore.AsSpan(_gradientOffset + start, count),
                _streamMStore.AsSpan(_streamMOffset + start, count),
                _streamSStore.AsSpan(_streamSOffset + start, count),
                1e-7f);
        });
    }

    private Span<float> Gradients => _gradientStore.AsSpan(_gradientOffset, N);
    private Span<float> FusedParameters => _fusedParameterStore.AsSpan(_fusedParameterOffset, N);
    private Span<float> Fused256Parameters => _fused256ParameterStore.AsSpan(_fused256ParameterOffset, N);
    private Span<float> FusedOneCoreParameters => _fusedOneCoreParameterStore.AsSpan(_fusedOneCoreParameterOffset, N);
    private Span<float> NaiveParameters => _naiveParameterStore.AsSpan(_naiveParameterOffset, N);
    private Span<float> NaiveM => _naiveMStore.AsSpan(_naiveMOffset, N);
    private Span<float> NaiveS => _naiveSStore.AsSpan(_naiveSOffset, N);
    private Span<float> StreamParameters => _streamParameterStore.AsSpan(_streamParameterOffset, N);
    private Span<float> StreamM => _streamMStore.AsSpan(_streamMOffset, N);
    private Span<float> StreamS => _streamSStore.AsSpan(_streamSOffset, N);

    /// <summary>The reference equations, literally, one element at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void NaiveLoop(
        Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> s,
        float beta1, float beta2, float learningRate, float epsilon, float firstCorrection, float secondCorrection)
    {
        for (int i = 0; i < p.Length; i++)
        {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            float residual = g[i] - m[i];
            s[i] = beta2 * s[i] + (1 - beta2) * residual * residual + epsilon;
            float mHat = m[i] / firstCorrection;
            float sHat = s[i] / secondCorrection;
            p[i] = p[i] - learningRate * mHat / (MathF.Sqrt(sHat) + epsilon);
        }
    }

    /// <summary>Reads p, g, m, s and writes p, m, s once each, with trivial arithmetic: 28 bytes per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void Stream7Loop(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> s, float c)
    {
        ref float pr = ref MemoryMarshal.GetReference(p);
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float sr = ref MemoryMarshal.GetReference(s);
        nuint length = (nuint)p.Length;
        nuint i = 0;

        if (Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<float>.Count)
        {
            Vector512<float> cv = Vector512.Create(c);
            nuint end = length - (length % (nuint)Vector512<float>.Count);
            for (; i < end; i += (nuint)Vector512<float>.Count)
            {
                Vector512<float> gc = Vector512.LoadUnsafe(ref gr, i) * cv;
                (Vector512.LoadUnsafe(ref pr, i) + gc).StoreUnsafe(ref pr, i);
                (Vector512.LoadUnsafe(ref mr, i) + gc).StoreUnsafe(ref mr, i);
                (Vector512.LoadUnsafe(ref sr, i) + gc).StoreUnsafe(ref sr, i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<float>.Count)
        {
            Vector256<float> cv = Vector256.Create(c);
            nuint end = length - (length % (nuint)Vector256<float>.Count);
            for (; i < end; i += (nuint)Vector256<float>.Count)
            {
                Vector256<float> gc = Vector256.LoadUnsafe(ref gr, i) * cv;
                (Vector256.LoadUnsafe(ref pr, i) + gc).StoreUnsafe(ref pr, i);
                (Vector256.LoadUnsafe(ref mr, i) + gc).StoreUnsafe(ref mr, i);
                (Vector256.LoadUnsafe(ref sr, i) + gc).StoreUnsafe(ref sr, i);
            }
        }

        for (; i < length; i++)
        {
            float gc = Unsafe.Add(ref gr, i) * c;
            Unsafe.Add(ref pr, i) += gc;
            Unsafe.Add(ref mr, i) += gc;
            Unsafe.Add(ref sr, i) += gc;
        }
    }

    /// <summary>A pinned array whose part from the returned offset starts on a 64-byte boundary, as AlignedFloatBuffer does.</summary>
    private static (float[] Store, int Offset) Allocate(int length)
    {
        float[] store = GC.AllocateArray<float>(length + AlignmentBytes / sizeof(float), pinned: true);
        long address = Marshal.UnsafeAddrOfPinnedArrayElement(store, 0);
        int misalignment = (int)(address % AlignmentBytes);
        int offset = misalignment == 0 ? 0 : (AlignmentBytes - misalignment) / sizeof(float);
        return (store, offset);
    }
}

using System.Runtime.InteropServices;
using System.Text;

namespace AdaBelief.Optimization;

/// <summary>
/// Writes and reads an <see cref="AdaBeliefState"/> as a small binary checkpoint: a tag, a format version, the
/// counts, then the moments as little-endian floats, then any per-row step counts. Reading checks each part and names what is wrong.
/// </summary>
public static class AdaBeliefStateSerializer
{
    private const uint Tag = 0x53424441; // "ADBS" read as little-endian bytes
    private const int FormatVersion = 2; // 2 added the per-row step counts; version 1 checkpoints still read

    /// <summary>Writes <paramref name="state"/> to <paramref name="stream"/>, leaving the stream open.</summary>
    /// <param name="state">The state to write.</param>
    /// <param name="stream">A writable stream.</param>
    public static void Write(AdaBeliefState state, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Tag);
        writer.Write(FormatVersion);
        writer.Write(state.TensorLengths.Count);
        foreach (int length in state.TensorLengths)
            writer.Write(length);
        writer.Write(state.StepCount);
        writer.Write(state.EpochCount);
        writer.Write(state.SkippedStepCount);
        writer.Write(state.MaxSecondMoment.HasValue);
        writer.Write(state.Plateau.HasValue);
        if (state.Plateau is { } plateau)
        {
            writer.Write(plateau.LearningRate);
            writer.Write(plateau.BestMetric);
            writer.Write(plateau.BadEpochs);
            writer.Write(plateau.CooldownRemaining);
            writer.Write(plateau.ReportCount);
        }

        WriteFloats(writer, state.FirstMoment.Span);
        WriteFloats(writer, state.SecondMoment.Span);
        if (state.MaxSecondMoment is { } max)
            WriteFloats(writer, max.Span);
        writer.Write(state.RowStepCounts is not null);
        if (state.RowStepCounts is { } rowCounts)
        {
            writer.Write(rowCounts.RowLength);
            writer.Write(rowCounts.Counts.Length);
            foreach (int count in rowCounts.Counts.Span)
                writer.Write(count);
        }
    }

    /// <summary>Reads a state written by <see cref="Write"/>.</summary>
    /// <param name="stream">A readable stream positioned at the start of a checkpoint.</param>
    /// <exception cref="InvalidDataException">The stream is not such a checkpoint, is of an unknown version, or is cut short.</exception>
    public static AdaBeliefState Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadUInt32() != Tag)
                throw new InvalidDataException("The stream is not an AdaBelief optimizer checkpoint (its tag does not match).");
            int version = reader.ReadInt32();
            if (version is < 1 or > FormatVersion)
                throw new InvalidDataException($"The checkpoint has format version {version}; this library reads versions 1 to {FormatVersion}.");

            int tensorCount = reader.ReadInt32();
            if (tensorCount <= 0)
                throw new InvalidDataException($"The checkpoint claims {tensorCount} tensors.");
            var lengths = new int[tensorCount];
            long total = 0;
            for (int i = 0; i < tensorCount; i++)
            {
                lengths[i] = reader.ReadInt32();
                if (lengths[i] < 0)
                    throw new InvalidDataException($"The checkpoint claims a tensor of length {lengths[i]}.");
                total += lengths[i];
            }

            if (total > Array.MaxLength)
                throw new InvalidDataException($"The checkpoint claims {total} parameters, more than an array can hold.");

            long steps = reader.ReadInt64();
            long epochs = reader.ReadInt64();
            long skipped = reader.ReadInt64();
            if (steps < 0 || epochs < 0 || skipped < 0)
                throw new InvalidDataException("The checkpoint has a negative counter.");
            bool hasMax = reader.ReadBoolean();
            bool hasPlateau = reader.ReadBoolean();
            PlateauState? plateau = hasPlateau
                ? new PlateauState(reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt64())
                : null;

            // A damaged header could claim billions of floats: where the stream knows its length, check before allocating.
            long expectedBytes = (hasMax ? 3 : 2) * total * sizeof(float);
            if (stream.CanSeek && stream.Length - stream.Position < expectedBytes)
            {
                throw new InvalidDataException(
                    $"The checkpoint claims {total} parameters ({expectedBytes} bytes of moments) but only {stream.Length - stream.Position} bytes follow.");
            }

            float[] first = ReadFloats(reader, (int)total);
            float[] second = ReadFloats(reader, (int)total);
            float[]? max = hasMax ? ReadFloats(reader, (int)total) : null;
            RowStepCounts? rowCounts = version >= 2 && reader.ReadBoolean() ? ReadRowCounts(reader, lengths[0]) : null;
            return new AdaBeliefState(lengths, steps, epochs, skipped, first, second, max, plateau, rowCounts);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The checkpoint ends before all of its parts were read.", e);
        }
    }

    private static RowStepCounts ReadRowCounts(BinaryReader reader, int firstTensorLength)
    {
        int rowLength = reader.ReadInt32();
        int rows = reader.ReadInt32();
        if (rowLength < 1 || rows < 0 || (long)rowLength * rows != firstTensorLength)
            throw new InvalidDataException($"The checkpoint counts steps for {rows} rows of {rowLength}, which does not fit its first tensor of {firstTensorLength}.");
        var counts = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            counts[r] = reader.ReadInt32();
            if (counts[r] < 0)
                throw new InvalidDataException($"The checkpoint has a negative step count for row {r}.");
        }

        return new RowStepCounts(rowLength, counts);
    }

    private static void WriteFloats(BinaryWriter writer, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            writer.Write(MemoryMarshal.AsBytes(values));
            return;
        }

        foreach (float value in values)
            writer.Write(value);
    }

    private static float[] ReadFloats(BinaryReader reader, int count)
    {
        var values = new float[count];
        if (BitConverter.IsLittleEndian)
        {
            Span<byte> bytes = MemoryMarshal.AsBytes(values.AsSpan());
            reader.BaseStream.ReadExactly(bytes);
            return values;
        }

        for (int i = 0; i < count; i++)
            values[i] = reader.ReadSingle();
        return values;
    }
}

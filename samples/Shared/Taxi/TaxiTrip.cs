using Microsoft.ML;
using Microsoft.ML.Data;

namespace Samples.Shared.Taxi;

/// <summary>One New York taxi trip, as the taxi-fare tutorial loads it.</summary>
internal sealed class TaxiTrip
{
    [LoadColumn(0)] public string VendorId { get; set; } = "";
    [LoadColumn(1)] public string RateCode { get; set; } = "";
    [LoadColumn(2)] public float PassengerCount { get; set; }
    [LoadColumn(3)] public float TripTime { get; set; }
    [LoadColumn(4)] public float TripDistance { get; set; }
    [LoadColumn(5)] public string PaymentType { get; set; } = "";
    [LoadColumn(6)] public float FareAmount { get; set; }
}

/// <summary>The taxi-fare data and the tutorial's featurization.</summary>
internal static class TaxiFareData
{
    /// <summary>
    /// Loads one of the bundled files, keeping fares from $1 to $150 as the tutorial does (the file has a few
    /// negative and implausibly large fares).
    /// </summary>
    public static IDataView Load(MLContext ml, string fileName)
    {
        IDataView all = ml.Data.LoadFromTextFile<TaxiTrip>(SampleData.Path(fileName), separatorChar: ',', hasHeader: true);
        return ml.Data.FilterRowsByColumn(all, nameof(TaxiTrip.FareAmount), lowerBound: 1, upperBound: 150);
    }

    /// <summary>
    /// The tutorial's features: the fare as the label, vendor, rate code and payment type one-hot encoded, and the
    /// passenger count, trip time and distance, either as they are or mean-variance normalized (SDCA needs that; the
    /// AdaBelief trainer standardizes internally and works on the raw columns).
    /// </summary>
    public static IEstimator<ITransformer> Featurize(MLContext ml, bool normalizeNumbers)
    {
        IEstimator<ITransformer> pipeline = ml.Transforms.CopyColumns("Label", nameof(TaxiTrip.FareAmount))
            .Append(ml.Transforms.Categorical.OneHotEncoding("VendorIdEncoded", nameof(TaxiTrip.VendorId)))
            .Append(ml.Transforms.Categorical.OneHotEncoding("RateCodeEncoded", nameof(TaxiTrip.RateCode)))
            .Append(ml.Transforms.Categorical.OneHotEncoding("PaymentTypeEncoded", nameof(TaxiTrip.PaymentType)));
        string[] numbers = [nameof(TaxiTrip.PassengerCount), nameof(TaxiTrip.TripTime), nameof(TaxiTrip.TripDistance)];
        if (normalizeNumbers)
            foreach (string column in numbers)
                pipeline = pipeline.Append(ml.Transforms.NormalizeMeanVariance(column));
        return pipeline.Append(ml.Transforms.Concatenate("Features", ["VendorIdEncoded", "RateCodeEncoded", "PaymentTypeEncoded", .. numbers]));
    }
}

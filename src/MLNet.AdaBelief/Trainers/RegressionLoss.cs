namespace MLNet.AdaBelief;

/// <summary>The loss the regression trainer minimizes.</summary>
public enum RegressionLoss
{
    /// <summary>Squared error ½(ŷ − y)², the least-squares fit (default).</summary>
    Squared = 0,

    /// <summary>Huber loss: squared within <c>HuberDelta</c> of the label, linear beyond, so outliers pull less.</summary>
    Huber = 1,
}

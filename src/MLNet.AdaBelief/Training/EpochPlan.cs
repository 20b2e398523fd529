namespace MLNet.AdaBelief.Training;

/// <summary>How the rows of one epoch are ordered: everything a source needs to produce the same blocks as any other.</summary>
/// <param name="Seed">The training seed.</param>
/// <param name="Epoch">The epoch, counted from 0; every epoch gets its own order.</param>
/// <param name="Shuffle">False to visit rows in their stored order.</param>
/// <param name="BlockSize">Rows per block; rows are shuffled within a block, never across blocks.</param>
internal readonly record struct EpochPlan(int Seed, int Epoch, bool Shuffle, int BlockSize);

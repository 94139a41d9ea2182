using System.Collections;

namespace Aims.Reporting.IO;

/// <summary>A list whose elements are projected when read: a spooled list stays on disk while a writer walks it.</summary>
internal sealed class ProjectedList<TSource, TResult>(IReadOnlyList<TSource> source, Func<TSource, TResult> project) : IReadOnlyList<TResult>
{
    public int Count => source.Count;

    public TResult this[int index] => project(source[index]);

    public IEnumerator<TResult> GetEnumerator() => source.Select(project).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A collection of known size enumerated anew (from a spool) each time it is walked, each element projected.</summary>
internal sealed class ProjectedCollection<TSource, TResult>(int count, Func<IEnumerable<TSource>> source, Func<TSource, TResult> project) : IReadOnlyCollection<TResult>
{
    public int Count => count;

    public IEnumerator<TResult> GetEnumerator() => source().Select(project).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

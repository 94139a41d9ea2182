namespace Aims.Reporting.Bundle;

/// <summary>ledger/README.txt: how an auditor re-checks the chain without our tools.</summary>
internal static class LedgerReadme
{
    public const string Text = """
        Ledger proof
        ============

        entries.jsonl holds the ledger entries of the evidence store that cover the evidence in this bundle:
        for each ledger segment (one chain per writer), every entry from the segment's first entry through
        the last entry of an item in this bundle. Nothing is left out in between, so the chain can be
        re-verified here without access to the store.

        Each line is one JSON object:
          seq         position in its segment, starting at 1 and increasing by 1
          segment     the chain the entry belongs to
          recordedAt  when the store recorded the item (UTC)
          itemId      the evidence item (evidence/items/<itemId>.json when it is in this bundle)
          itemSha256  SHA-256 of the item's content (see below)
          kind, controls, subject, aiSystems, observedAt, rawSha256   copied from the item
          prev        the hash of the previous entry of the same segment; 64 zeros for the first entry
          hash        SHA-256 of this entry without its "hash" field, in canonical JSON

        Canonical JSON: object keys sorted by ordinal (byte) order at every depth, no whitespace between
        tokens, strings escaped minimally, timestamps as yyyy-MM-ddTHH:mm:ss.fffZ, UTF-8.

        To check the chain, for every segment in file order:
          1. the first entry has seq 1 and prev = 0000...0000 (64 zeros);
          2. every next entry has seq = previous seq + 1 and prev = previous entry's hash;
          3. hash = lowercase hex SHA-256 of the entry's canonical JSON without "hash".
        With jq (1.6 or later) and sha256sum, step 3 for every line:
          while IFS= read -r line; do
            want=$(printf '%s' "$line" | jq -r .hash)
            got=$(printf '%s' "$line" | jq -cjS 'del(.hash)' | sha256sum | cut -d' ' -f1)
            [ "$want" = "$got" ] || echo "entry $(printf '%s' "$line" | jq .seq) is altered"
          done < entries.jsonl

        Then, for every evidence/items/<id>.json in the bundle:
          4. the file is the item's canonical JSON, including its "sha256" field;
          5. the SHA-256 of the item's canonical JSON without "sha256" equals that field and the itemSha256
             of the item's ledger entry;
          6. evidence/raw/<sha256>.<ext> hashes to its own name (the part before the extension).
        With jq, step 5 for one item (run from the bundle root):
          jq -cjS 'del(.sha256)' evidence/items/<id>.json | sha256sum
          jq -r .sha256 evidence/items/<id>.json
          grep '"itemId":"<id>"' ledger/entries.jsonl | jq -r .itemSha256
        and all three must print the same hash. jq writes a few characters differently from the canonical
        form (control characters, U+2028/U+2029, and characters beyond U+FFFF such as emoji, which the
        canonical form writes as \u escapes); for items holding them, rely on 'aims verify --bundle'.

        'aims verify --bundle <file.zip>' performs all of these checks, together with SHA256SUMS and
        manifest.json, and names every file that was altered, removed or added.
        """;
}

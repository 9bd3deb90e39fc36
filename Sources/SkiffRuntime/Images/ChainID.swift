/// The OCI chain ID of each layer: the digest naming a layer *and* everything
/// under it, so a snapshot unpacked for one image is shared by every image whose
/// stack starts the same way. chain(0) = diffID(0);
/// chain(n) = sha256(chain(n-1) + " " + diffID(n)).
enum ChainID {
    static func chain(diffIDs: [Digest]) -> [Digest] {
        var chain: [Digest] = []
        for diffID in diffIDs {
            guard let below = chain.last else {
                chain.append(diffID)
                continue
            }
            chain.append(Digest.of(Array("\(below) \(diffID)".utf8)))
        }
        return chain
    }
}

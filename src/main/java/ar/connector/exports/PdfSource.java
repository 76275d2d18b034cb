package ar.connector.exports;

import org.springframework.stereotype.Component;

import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.links.Link;

/**
 * Where the console and the exports get a document's PDF: the one seam to point at a PDF cache.
 * Today it reads Contabilium with the link's own credentials (paced like every call).
 */
@Component
public class PdfSource {

    private final ContabiliumClient contabilium;

    public PdfSource(ContabiliumClient contabilium) {
        this.contabilium = contabilium;
    }

    /** The PDF bytes of one Contabilium document of the link's account; throws {@code ApiCallException} when unreadable. */
    public byte[] pdf(Link link, long documentId) {
        return contabilium.obtenerPdf(new ContabiliumAccount(link.getContabiliumClientId(),
                link.getContabiliumClientSecret()), documentId);
    }
}

package ar.connector.documents;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import ar.connector.api.ApiCallException;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.invoicing.DocumentSlot;
import ar.connector.invoicing.OrderRecord;
import ar.connector.invoicing.OrderRecordRepository;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import io.swagger.v3.oas.annotations.Hidden;

/** Serves an order's invoice or credit note PDF behind a signed link (see {@link DocumentLinks}). */
@RestController
@Hidden
public class DocumentController {

    private final DocumentLinks documentLinks;
    private final LinkRepository links;
    private final OrderRecordRepository records;
    private final ContabiliumClient contabilium;

    public DocumentController(DocumentLinks documentLinks, LinkRepository links, OrderRecordRepository records,
            ContabiliumClient contabilium) {
        this.documentLinks = documentLinks;
        this.links = links;
        this.records = records;
        this.contabilium = contabilium;
    }

    @GetMapping("/documents/{token}.pdf")
    public ResponseEntity<byte[]> pdf(@PathVariable String token) {
        DocumentLinks.Target target = documentLinks.verify(token).orElse(null);
        if (target == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
        }
        Link link = links.findById(target.linkId()).orElse(null);
        OrderRecord record = records.findByLinkIdAndOrderId(target.linkId(), target.orderId()).orElse(null);
        Long documentId = record == null ? null
                : target.slot() == DocumentSlot.INVOICE ? record.getInvoiceId() : record.getCreditId();
        if (link == null || documentId == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
        }
        byte[] pdf;
        try {
            pdf = contabilium.obtenerPdf(new ContabiliumAccount(link.getContabiliumClientId(),
                    link.getContabiliumClientSecret()), documentId);
        } catch (ApiCallException e) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build();
        }
        String tipo = target.slot() == DocumentSlot.INVOICE ? record.getInvoiceTipo() : record.getCreditTipo();
        String numero = target.slot() == DocumentSlot.INVOICE ? record.getInvoiceNumero() : record.getCreditNumero();
        String name = (target.slot() == DocumentSlot.INVOICE ? "Factura-" : "NotaDeCredito-")
                + (tipo == null ? "" : tipo.substring(tipo.length() - 1) + "-") + (numero == null ? documentId : numero)
                + ".pdf";
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_PDF)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline().filename(name).build().toString())
                .body(pdf);
    }
}

package ar.connector.receipts;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

/** Reads what a buyer would see in a received message: its text and its attachments. */
public final class Mails {

    public record Attachment(String fileName, String contentType, byte[] content) {
    }

    private Mails() {
    }

    public static String text(MimeMessage message) {
        try {
            return text((Part) message);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Attachment> attachments(MimeMessage message) {
        List<Attachment> found = new ArrayList<>();
        try {
            collect(message, found);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    private static String text(Part part) throws Exception {
        if (part.isMimeType("text/plain") && part.getFileName() == null) {
            return (String) part.getContent();
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                String text = text(multipart.getBodyPart(i));
                if (text != null) {
                    return text;
                }
            }
        }
        return null;
    }

    private static void collect(Part part, List<Attachment> found) throws Exception {
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                collect(multipart.getBodyPart(i), found);
            }
            return;
        }
        if (part instanceof BodyPart && part.getFileName() != null) {
            try (InputStream in = part.getInputStream()) {
                found.add(new Attachment(part.getFileName(), part.getContentType(), in.readAllBytes()));
            }
        }
    }
}

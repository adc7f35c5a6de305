package io.kbackup.storage.s3protocol;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * One page of S3's ListMultipartUploads answer ({@code ListMultipartUploadsResult}), read with the
 * JDK's XML parser (external entities and DTDs off). For a client whose own reader refuses what a
 * server sends (the MinIO client needs a {@code StorageClass} the MinIO server leaves empty).
 *
 * @param uploads            the unfinished uploads on the page
 * @param truncated          whether more pages follow
 * @param nextKeyMarker      the {@code key-marker} of the next page
 * @param nextUploadIdMarker the {@code upload-id-marker} of the next page
 */
public record S3UploadListing(List<Upload> uploads, boolean truncated, String nextKeyMarker,
        String nextUploadIdMarker) {

    /**
     * One unfinished multipart upload.
     *
     * @param initiated when it was started; {@code null} when the server did not say
     */
    public record Upload(String key, String uploadId, Instant initiated) {}

    /** Fetches one page of unfinished uploads after the two markers ({@code null} for the first page). */
    @FunctionalInterface
    public interface Pages {
        S3UploadListing page(String keyMarker, String uploadIdMarker);
    }

    /** Aborts one upload; {@code false} when it was gone already (completed or aborted meanwhile). */
    @FunctionalInterface
    public interface Abort {
        boolean abort(String key, String uploadId);
    }

    /**
     * Aborts, page by page, every upload initiated before {@code startedBefore}; an upload whose
     * start the server did not say is left alone. Returns how many were aborted.
     */
    public static int sweep(Pages pages, Abort abort, Instant startedBefore) {
        int aborted = 0;
        String keyMarker = null;
        String uploadIdMarker = null;
        while (true) {
            S3UploadListing r = pages.page(keyMarker, uploadIdMarker);
            for (Upload u : r.uploads()) {
                if (u.initiated() != null && u.initiated().isBefore(startedBefore) && abort.abort(u.key(), u.uploadId())) {
                    aborted++;
                }
            }
            if (!r.truncated()) {
                return aborted;
            }
            keyMarker = r.nextKeyMarker();
            uploadIdMarker = r.nextUploadIdMarker();
        }
    }

    /**
     * Parses the answer's body.
     *
     * @throws IOException when it is not a ListMultipartUploadsResult
     */
    public static S3UploadListing parse(InputStream xml) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            doc = b.parse(xml);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("The ListMultipartUploads answer is not readable XML: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!"ListMultipartUploadsResult".equals(root.getLocalName() != null ? root.getLocalName() : root.getTagName())) {
            throw new IOException("The ListMultipartUploads answer is a <" + root.getTagName() + ">, not a"
                    + " <ListMultipartUploadsResult>.");
        }
        List<Upload> uploads = new ArrayList<>();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "Upload".equals(e.getTagName())) {
                uploads.add(new Upload(text(e, "Key"), text(e, "UploadId"), instant(text(e, "Initiated"))));
            }
        }
        return new S3UploadListing(List.copyOf(uploads), "true".equals(text(root, "IsTruncated")),
                text(root, "NextKeyMarker"), text(root, "NextUploadIdMarker"));
    }

    private static String text(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && tag.equals(e.getTagName())) {
                String t = e.getTextContent();
                return t == null || t.isBlank() ? null : t.strip();
            }
        }
        return null;
    }

    private static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

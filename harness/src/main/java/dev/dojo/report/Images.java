package dev.dojo.report;

import javax.imageio.ImageIO;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Locale;

/** PNG encoding and the drawing setup the report's pictures share; headless, so no display is needed. */
public final class Images {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);

    private Images() {}

    /** The image as PNG bytes. */
    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The image as a {@code data:image/png;base64,…} URI, for an {@code <img src>} that needs no file. */
    public static String dataUri(BufferedImage image) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(image));
    }

    /** A white RGB canvas with antialiased text; the caller disposes the graphics. */
    static BufferedImage canvas(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setFont(TEXT);
        return g;
    }

    /** Font metrics before a canvas exists, to size one. */
    static FontMetrics metrics(Font font) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(scratch);
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    /** Text drawn rotated a quarter turn anticlockwise, centred on (x, y). */
    static void verticalText(Graphics2D g, String text, int x, int y) {
        Graphics2D r = (Graphics2D) g.create();
        r.translate(x, y);
        r.rotate(-Math.PI / 2);
        FontMetrics fm = r.getFontMetrics();
        r.drawString(text, -fm.stringWidth(text) / 2, fm.getAscent() / 2 - 1);
        r.dispose();
    }

    /** Three significant digits: plain for 1e-3 ≤ |x| < 1e4, scientific otherwise. */
    public static String number(double x) {
        return dev.dojo.compare.ComparisonReport.number(x);
    }

    /** One step between labelled ticks so that labels {@code minSpacing} pixels apart fit. */
    static int tickStep(int count, double pixelsPerIndex, int minSpacing) {
        int step = 1;
        while (step * pixelsPerIndex < minSpacing && step < count) {
            step = step < 2 ? 2 : step < 5 ? 5 : step < 10 ? 10 : step * 2;
        }
        return step;
    }
}

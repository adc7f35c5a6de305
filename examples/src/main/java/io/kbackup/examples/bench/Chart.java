package io.kbackup.examples.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws the benchmark figures as a PNG with Java2D (no dependency): left, wall time against object count (log-log)
 * for every time series; right, peak heap after GC against object count. Input: a tab-separated file whose first line
 * names the columns, {@code objects} first, then series whose names end in {@code _s} (seconds) or {@code _mib}
 * (heap); empty cells are points not measured.
 *
 * <pre>{@code examples/bench.sh chart examples/benchmark-figures.tsv   # writes examples/benchmark-chart.png}</pre>
 */
public final class Chart {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};
    private static final int W = 1200;
    private static final int H = 520;

    private Chart() {}

    public static void main(String[] args) throws IOException {
        Path in = Path.of(args.length > 0 ? args[0] : "examples/benchmark-figures.tsv");
        Path out = Path.of(args.length > 1 ? args[1] : "examples/benchmark-chart.png");
        List<String> lines = Files.readAllLines(in, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        String[] header = lines.get(0).split("\t");
        List<double[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t", -1);
            double[] row = new double[header.length];
            for (int i = 0; i < header.length; i++) {
                row[i] = i < cells.length && !cells[i].isBlank() ? Double.parseDouble(cells[i]) : Double.NaN;
            }
            rows.add(row);
        }
        Map<String, Integer> times = new LinkedHashMap<>();
        Map<String, Integer> heaps = new LinkedHashMap<>();
        for (int i = 1; i < header.length; i++) {
            if (header[i].endsWith("_s")) {
                times.put(header[i].substring(0, header[i].length() - 2).replace('_', ' '), i);
            } else if (header[i].endsWith("_mib")) {
                heaps.put(header[i].substring(0, header[i].length() - 4).replace('_', ' '), i);
            }
        }
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        panel(g, 70, 40, W / 2 - 120, H - 130, "wall time (s, log) against objects (log)", rows, times, true);
        panel(g, W / 2 + 70, 40, W / 2 - 120, H - 130, "peak heap after GC (MiB, log) against objects (log)", rows, heaps, true);
        g.dispose();
        ImageIO.write(img, "png", out.toFile());
        System.out.println("wrote " + out);
    }

    private static void panel(Graphics2D g, int x0, int y0, int w, int h, String title, List<double[]> rows,
                              Map<String, Integer> series, boolean logY) {
        double minX = Double.MAX_VALUE;
        double maxX = 0;
        double minY = Double.MAX_VALUE;
        double maxY = 0;
        for (double[] r : rows) {
            minX = Math.min(minX, r[0]);
            maxX = Math.max(maxX, r[0]);
            for (int col : series.values()) {
                if (!Double.isNaN(r[col]) && r[col] > 0) {
                    minY = Math.min(minY, r[col]);
                    maxY = Math.max(maxY, r[col]);
                }
            }
        }
        double lx0 = Math.floor(Math.log10(minX));
        double lx1 = Math.ceil(Math.log10(maxX));
        double ly0 = Math.floor(Math.log10(minY));
        double ly1 = Math.ceil(Math.log10(maxY));
        if (ly1 <= ly0) {
            ly1 = ly0 + 1;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString(title, x0, y0 - 12);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setStroke(new BasicStroke(1f));
        g.setColor(new Color(0xdddddd));
        for (double d = lx0; d <= lx1; d++) {
            int x = (int) (x0 + (d - lx0) / (lx1 - lx0) * w);
            g.drawLine(x, y0, x, y0 + h);
        }
        for (double d = ly0; d <= ly1; d++) {
            int y = (int) (y0 + h - (d - ly0) / (ly1 - ly0) * h);
            g.drawLine(x0, y, x0 + w, y);
        }
        g.setColor(Color.BLACK);
        g.drawRect(x0, y0, w, h);
        for (double d = lx0; d <= lx1; d++) {
            int x = (int) (x0 + (d - lx0) / (lx1 - lx0) * w);
            String label = label(Math.pow(10, d));
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, y0 + h + 16);
        }
        for (double d = ly0; d <= ly1; d++) {
            int y = (int) (y0 + h - (d - ly0) / (ly1 - ly0) * h);
            String label = label(Math.pow(10, d));
            g.drawString(label, x0 - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        int legendY = y0 + h + 40;
        int legendX = x0;
        int c = 0;
        for (Map.Entry<String, Integer> s : series.entrySet()) {
            Color color = COLORS[c++ % COLORS.length];
            g.setColor(color);
            g.setStroke(new BasicStroke(2.2f));
            int px = -1;
            int py = -1;
            for (double[] r : rows) {
                double v = r[s.getValue()];
                if (Double.isNaN(v) || v <= 0) {
                    continue;
                }
                int x = (int) (x0 + (Math.log10(r[0]) - lx0) / (lx1 - lx0) * w);
                int y = (int) (y0 + h - (Math.log10(v) - ly0) / (ly1 - ly0) * h);
                g.fillOval(x - 4, y - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.fillRect(legendX, legendY - 9, 14, 10);
            g.setColor(Color.BLACK);
            g.drawString(s.getKey(), legendX + 18, legendY);
            legendX += 30 + g.getFontMetrics().stringWidth(s.getKey());
            if (legendX > x0 + w - 60) {
                legendX = x0;
                legendY += 16;
            }
        }
    }

    private static String label(double v) {
        if (v >= 1_000_000) {
            return String.format(Locale.ROOT, "%.0fM", v / 1_000_000);
        }
        if (v >= 1000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1000);
        }
        return v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}

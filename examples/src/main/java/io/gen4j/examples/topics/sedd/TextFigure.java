package io.gen4j.examples.topics.sedd;

import io.gen4j.core.viz.ImageGrid;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Lines of text (samples, a denoising trajectory) drawn into a small PNG, masks in grey. */
final class TextFigure {

    private TextFigure() {}

    /**
     * @param title a heading line
     * @param labels a label before each line (e.g. the time), same size as lines
     * @param lines the texts; the character '_' is drawn as a grey block (a mask)
     * @param file the PNG
     * @throws IOException when it cannot be written
     */
    static void write(String title, List<String> labels, List<String> lines, Path file) throws IOException {
        Font font = new Font(Font.MONOSPACED, Font.PLAIN, 12);
        int charWidth = 7;
        int lineHeight = 16;
        int labelWidth = labels.stream().mapToInt(String::length).max().orElse(0) + 1;
        int columns = lines.stream().mapToInt(String::length).max().orElse(1);
        int width = 16 + (labelWidth + columns) * charWidth;
        int height = 16 + (lines.size() + 2) * lineHeight;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setFont(font.deriveFont(Font.BOLD));
            g.setColor(Color.BLACK);
            g.drawString(title, 8, 8 + lineHeight);
            g.setFont(font);
            for (int r = 0; r < lines.size(); r++) {
                int y = 8 + (r + 2) * lineHeight;
                g.setColor(Color.DARK_GRAY);
                g.drawString(labels.get(r), 8, y);
                String line = lines.get(r).replace('\n', '⏎');
                for (int c = 0; c < line.length(); c++) {
                    int x = 8 + (labelWidth + c) * charWidth;
                    if (line.charAt(c) == '_') {
                        g.setColor(new Color(200, 200, 200));
                        g.fillRect(x, y - 11, charWidth - 1, 13);
                    } else {
                        g.setColor(Color.BLACK);
                        g.drawString(String.valueOf(line.charAt(c)), x, y);
                    }
                }
            }
        } finally {
            g.dispose();
        }
        ImageGrid.writePng(image, file);
    }
}

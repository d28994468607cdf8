package io.streamvl.shapes;

import static io.streamvl.shapes.ShapesWorld.HEIGHT;
import static io.streamvl.shapes.ShapesWorld.WIDTH;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Draws frames with Java2D, antialiasing off, so that every pixel is exactly the background or an
 * object colour. Java2D then fills the pixels whose centres lie inside each shape, and pure stroke
 * control keeps it from nudging coordinates. In an object's box (left, top, size s):
 * <ul>
 *   <li>square: the whole box, s x s pixels;</li>
 *   <li>circle: the circle inscribed in the box, centre (left + s/2, top + s/2), radius s/2
 *       (Java2D's Bezier approximation of it);</li>
 *   <li>triangle: isosceles, pointing up: apex at the middle of the box's top edge
 *       (left + s/2, top), base along its bottom edge from (left, top + s) to (left + s, top + s).</li>
 * </ul>
 * Objects are drawn in scene order, later ones on top. One instance reuses one image: not
 * thread-safe.
 */
public final class SceneRenderer {
    private final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
    private final byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();

    /** Frame {@code frame} as row-major RGB24: WIDTH * HEIGHT * 3 bytes, a new array. */
    public byte[] renderRgb(Scene scene, int frame) {
        byte[] px = renderBgr(scene, frame);
        byte[] rgb = new byte[px.length];
        for (int i = 0; i < px.length; i += 3) {
            rgb[i] = px[i + 2];
            rgb[i + 1] = px[i + 1];
            rgb[i + 2] = px[i];
        }
        return rgb;
    }

    /** Frame {@code frame} as row-major BGR24 in this renderer's own buffer, overwritten by the next call. */
    byte[] renderBgr(Scene scene, int frame) {
        if (frame < 0 || frame >= scene.frameCount()) {
            throw new IllegalArgumentException("frame " + frame + " outside 0.." + (scene.frameCount() - 1));
        }
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(awt(scene.background().rgb()));
            g.fillRect(0, 0, WIDTH, HEIGHT);
            for (SceneObject o : scene.objects()) {
                g.setColor(awt(o.color().rgb()));
                draw(g, o.shape(), o.boxAt(frame));
            }
        } finally {
            g.dispose();
        }
        return bgr;
    }

    private static void draw(Graphics2D g, ShapeKind shape, Box b) {
        double s = b.size();
        switch (shape) {
            case SQUARE -> g.fillRect(b.left(), b.top(), b.size(), b.size());
            case CIRCLE -> g.fill(new Ellipse2D.Double(b.left(), b.top(), s, s));
            case TRIANGLE -> {
                Path2D.Double t = new Path2D.Double();
                t.moveTo(b.left() + s / 2, b.top());
                t.lineTo(b.left() + s, b.top() + s);
                t.lineTo(b.left(), b.top() + s);
                t.closePath();
                g.fill(t);
            }
        }
    }

    private static Color awt(Rgb c) {
        return new Color(c.red(), c.green(), c.blue());
    }
}

package io.streamvl.ingest;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.SWS_POINT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Turns decoded frames into model input. One swscale pass goes straight from the decoder's pixel
 * format (e.g. yuv420p) at source size to RGB24 at model size; normalisation is then a lookup
 * per byte. Holds a native scaler context and buffers reused across frames: one instance per
 * thread, closed when done.
 */
public final class ModelInputConverter implements AutoCloseable {
    /** swscale's SIMD paths want 32-byte aligned rows; rows are re-packed when copied out. */
    private static final int ROW_ALIGN = 64;

    private final ModelInputSpec spec;
    private final int width;
    private final int height;
    private final int stride;
    private final int scaleFlags;
    private final BytePointer dst;
    private final PointerPointer<?> dstPlanes;
    private final IntPointer dstStrides;
    private final byte[] rgb;
    private final float[][] lut;
    private SwsContext sws;
    private ImageWriter jpegWriter;

    public ModelInputConverter(ModelInputSpec spec) {
        this.spec = spec;
        this.width = spec.width();
        this.height = spec.height();
        this.stride = (width * 3 + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
        this.scaleFlags = spec.resizeMode() == ResizeMode.NEAREST ? SWS_POINT : SWS_BICUBIC;
        this.dst = new BytePointer((long) stride * height + ROW_ALIGN);
        this.dstPlanes = new PointerPointer<BytePointer>(4).put(0, dst);
        this.dstStrides = new IntPointer(4).put(0, stride);
        this.rgb = new byte[width * height * 3];
        this.lut = normalisationTable(spec);
    }

    public ModelInputSpec spec() {
        return spec;
    }

    /** Resized RGB24, row-major HWC, width*height*3 bytes (a new array). */
    public byte[] toRgb(DecodedFrame f) {
        return scale(f).clone();
    }

    /** Resized and JPEG-encoded at the spec's quality: the compact form kept in the video memory. */
    public byte[] toJpeg(DecodedFrame f) {
        byte[] px = scale(f);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i += 3) {
            bgr[i] = px[i + 2];
            bgr[i + 1] = px[i + 1];
            bgr[i + 2] = px[i];
        }
        return encodeJpeg(img);
    }

    /** Resized, RGB, (x/255 - mean)/std, HWC float32; {@code out.length} must be width*height*3. */
    public void toTensor(DecodedFrame f, float[] out) {
        checkLength(out, spec);
        normalise(scale(f), out, lut);
    }

    /** Decodes a stored JPEG (already at model size) into a normalised HWC tensor. */
    public static void jpegToTensor(byte[] jpeg, ModelInputSpec spec, float[] out) {
        checkLength(out, spec);
        normalise(jpegToRgb(jpeg, spec), out, normalisationTable(spec));
    }

    /**
     * Decodes a stored JPEG (already at model size) into RGB24, row-major HWC, for models that preprocess
     * pixels themselves.
     */
    public static byte[] jpegToRgb(byte[] jpeg, ModelInputSpec spec) {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(jpeg));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a readable JPEG (" + jpeg.length + " bytes)", e);
        }
        if (img == null || img.getWidth() != spec.width() || img.getHeight() != spec.height()) {
            throw new IllegalArgumentException("JPEG is " + (img == null ? "unreadable"
                    : img.getWidth() + "x" + img.getHeight()) + ", expected " + spec.width() + "x" + spec.height());
        }
        byte[] px = new byte[spec.width() * spec.height() * 3];
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < px.length; i += 3) {
                px[i] = bgr[i + 2];
                px[i + 1] = bgr[i + 1];
                px[i + 2] = bgr[i];
            }
        } else {
            int[] argb = img.getRGB(0, 0, spec.width(), spec.height(), null, 0, spec.width());
            for (int i = 0, j = 0; i < argb.length; i++, j += 3) {
                px[j] = (byte) (argb[i] >> 16);
                px[j + 1] = (byte) (argb[i] >> 8);
                px[j + 2] = (byte) argb[i];
            }
        }
        return px;
    }

    @Override
    public void close() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (jpegWriter != null) {
            jpegWriter.dispose();
            jpegWriter = null;
        }
        dstStrides.close();
        dstPlanes.close();
        dst.close();
    }

    /** Scales into the reused native buffer and copies it out into the reused {@link #rgb} array. */
    private byte[] scale(DecodedFrame f) {
        if (!(f instanceof NativeFrame nf)) {
            throw new IllegalArgumentException("not a frame from VideoDecoder or RgbFrame: " + f.getClass());
        }
        AVFrame src = nf.avFrame();
        sws = sws_getCachedContext(sws, src.width(), src.height(), src.format(), width, height, AV_PIX_FMT_RGB24,
                scaleFlags, null, null, (DoublePointer) null);
        if (sws == null || sws.isNull()) {
            throw new IllegalStateException("swscale cannot convert pixel format " + src.format() + " at "
                    + src.width() + "x" + src.height());
        }
        sws_scale(sws, new PointerPointer<>(src), src.linesize(), 0, src.height(), dstPlanes, dstStrides);
        int row = width * 3;
        if (row == stride) {
            dst.position(0).get(rgb, 0, rgb.length);
        } else {
            for (int y = 0; y < height; y++) {
                dst.position((long) y * stride).get(rgb, y * row, row);
            }
        }
        return rgb;
    }

    private byte[] encodeJpeg(BufferedImage img) {
        if (jpegWriter == null) {
            jpegWriter = ImageIO.getImageWritersByFormatName("jpeg").next();
        }
        ImageWriteParam param = jpegWriter.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(spec.jpegQuality() / 100f);
        ByteArrayOutputStream bos = new ByteArrayOutputStream(32 * 1024);
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(bos)) {
            jpegWriter.setOutput(ios);
            jpegWriter.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding failed", e);
        } finally {
            jpegWriter.reset();
        }
        return bos.toByteArray();
    }

    private static void normalise(byte[] px, float[] out, float[][] lut) {
        float[] r = lut[0];
        float[] g = lut[1];
        float[] b = lut[2];
        for (int i = 0; i < px.length; i += 3) {
            out[i] = r[px[i] & 0xFF];
            out[i + 1] = g[px[i + 1] & 0xFF];
            out[i + 2] = b[px[i + 2] & 0xFF];
        }
    }

    private static float[][] normalisationTable(ModelInputSpec spec) {
        float[] mean = spec.mean();
        float[] std = spec.std();
        float[][] t = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                t[c][v] = (v / 255f - mean[c]) / std[c];
            }
        }
        return t;
    }

    private static void checkLength(float[] out, ModelInputSpec spec) {
        if (out.length != spec.tensorLength()) {
            throw new IllegalArgumentException("tensor buffer has " + out.length + " floats, expected "
                    + spec.tensorLength() + " for " + spec.width() + "x" + spec.height() + "x3");
        }
    }
}

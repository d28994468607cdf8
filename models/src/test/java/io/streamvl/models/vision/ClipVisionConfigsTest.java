package io.streamvl.models.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.testing.TinyClip;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ClipVisionConfigsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void llavaHfConfigGivesVitL14x336AtThePenultimateLayer() throws Exception {
        JsonNode config;
        try (InputStream in = getClass().getResourceAsStream("/bundle/llava-1.5-7b-hf-config.json")) {
            config = JSON.readTree(in);
        }
        ClipVisionConfig c = ClipVisionConfigs.fromHf(config);
        assertEquals(ClipVisionConfig.vitL14x336(), c);
        assertEquals(-2, ClipVisionConfigs.selectLayer(config));
        assertEquals(23, c.layersFor(-2));
        assertEquals(576, c.numPatches());
    }

    @Test
    void originalLlavaConfigNamesTheTower() throws Exception {
        JsonNode config = JSON.readTree("{\"model_type\": \"llava_llama\", \"mm_vision_tower\": "
                + "\"openai/clip-vit-large-patch14-336\", \"mm_vision_select_layer\": -2, "
                + "\"mm_vision_select_feature\": \"patch\", \"mm_projector_type\": \"mlp2x_gelu\"}");
        assertEquals(ClipVisionConfig.vitL14x336(), ClipVisionConfigs.fromHf(config));
        assertEquals(-2, ClipVisionConfigs.selectLayer(config));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ClipVisionConfigs.fromHf(JSON.readTree("{\"mm_vision_tower\": \"google/siglip-so400m\"}")));
        assertTrue(e.getMessage().contains("not a known CLIP tower"), e.getMessage());
    }

    @Test
    void absentKeysTakeHfDefaults() throws Exception {
        ClipVisionConfig c = ClipVisionConfigs.fromHf(JSON.readTree("{\"model_type\": \"clip_vision_model\"}"));
        assertEquals(new ClipVisionConfig(768, 3072, 12, 12, 224, 32, 1e-5, "quick_gelu"), c);
    }

    @Test
    void writtenConfigReadsBackStandaloneAndNested() {
        for (ClipVisionConfig c : new ClipVisionConfig[] {TinyClip.config(), TinyClip.geluConfig()}) {
            assertEquals(c, ClipVisionConfigs.fromHf(ClipVisionConfigs.toHfJson(c)));
            assertEquals(c, ClipVisionConfigs.fromHf(JSON.createObjectNode().set("vision_config",
                    ClipVisionConfigs.toHfJson(c))));
        }
    }

    @Test
    void badValuesAreNamed() throws Exception {
        assertMessage("{\"vision_config\": {\"image_size\": 30, \"patch_size\": 7}}", "not a multiple of patch_size");
        assertMessage("{\"vision_config\": {\"hidden_size\": 30}}", "not a multiple of num_attention_heads");
        assertMessage("{\"vision_config\": {\"hidden_act\": \"relu\"}}", "unsupported hidden_act relu");
        assertMessage("{\"vision_config\": {\"num_channels\": 1}}", "num_channels must be 3");
        assertMessage("{\"vision_config\": {\"patch_size\": -1}}", "vision_config.patch_size must be a positive integer");
        assertMessage("{\"text_config\": {}}", "no vision tower");
        assertMessage("{\"vision_config\": {\"model_type\": \"siglip_vision_model\"}}", "not a CLIP vision tower");
        ModelFormatException full = assertThrows(ModelFormatException.class, () -> ClipVisionConfigs.selectLayer(
                JSON.readTree("{\"vision_feature_select_strategy\": \"full\"}")));
        assertTrue(full.getMessage().contains("class token dropped"), full.getMessage());
        assertThrows(ModelFormatException.class,
                () -> ClipVisionConfigs.selectLayer(JSON.readTree("{\"vision_feature_layer\": [-2, -5]}")));
        assertEquals(-1, ClipVisionConfigs.selectLayer(JSON.readTree("{\"vision_feature_layer\": -1}")));
        assertEquals(-2, ClipVisionConfigs.selectLayer(JSON.readTree("{}")));
    }

    private static void assertMessage(String json, String part) throws Exception {
        JsonNode config = JSON.readTree(json);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ClipVisionConfigs.fromHf(config));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}

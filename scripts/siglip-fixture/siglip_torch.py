"""Plain-PyTorch SigLIP, written after Hugging Face transformers' models/siglip/modeling_siglip.py.

Module and parameter names, shapes and maths follow SiglipModel / SiglipTextModel /
SiglipVisionModel (eager attention, no attention mask: SigLIP's processor passes none), so a
state_dict of this code has the same keys as the Hugging Face one.
"""
import math

import torch
from torch import nn


def gelu_pytorch_tanh(x):
    return nn.functional.gelu(x, approximate="tanh")


class SiglipVisionEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed_dim = c["hidden_size"]
        self.image_size = c["image_size"]
        self.patch_size = c["patch_size"]
        self.patch_embedding = nn.Conv2d(c["num_channels"], self.embed_dim, kernel_size=self.patch_size,
                                         stride=self.patch_size, padding="valid")
        # padding="valid" == no padding. torch 1.13's ONNX exporter cannot export the string form
        # (aten::_convolution_mode), so store the equivalent explicit zero padding.
        self.patch_embedding.padding = (0, 0)
        self.num_patches = (self.image_size // self.patch_size) ** 2
        self.num_positions = self.num_patches
        self.position_embedding = nn.Embedding(self.num_positions, self.embed_dim)
        self.register_buffer("position_ids", torch.arange(self.num_positions).expand((1, -1)), persistent=False)

    def forward(self, pixel_values):
        patch_embeds = self.patch_embedding(pixel_values)  # [B, D, grid, grid]
        embeddings = patch_embeds.flatten(2).transpose(1, 2)
        return embeddings + self.position_embedding(self.position_ids)


class SiglipTextEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.token_embedding = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.position_embedding = nn.Embedding(c["max_position_embeddings"], c["hidden_size"])
        self.register_buffer("position_ids", torch.arange(c["max_position_embeddings"]).expand((1, -1)),
                             persistent=False)

    def forward(self, input_ids):
        seq_length = input_ids.shape[-1]
        position_ids = self.position_ids[:, :seq_length]
        return self.token_embedding(input_ids) + self.position_embedding(position_ids)


class SiglipAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed_dim = c["hidden_size"]
        self.num_heads = c["num_attention_heads"]
        self.head_dim = self.embed_dim // self.num_heads
        self.scale = self.head_dim ** -0.5
        self.k_proj = nn.Linear(self.embed_dim, self.embed_dim)
        self.v_proj = nn.Linear(self.embed_dim, self.embed_dim)
        self.q_proj = nn.Linear(self.embed_dim, self.embed_dim)
        self.out_proj = nn.Linear(self.embed_dim, self.embed_dim)

    def forward(self, hidden_states):
        b, q_len, _ = hidden_states.shape
        q = self.q_proj(hidden_states).view(b, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(hidden_states).view(b, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(hidden_states).view(b, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        attn = torch.matmul(q, k.transpose(2, 3)) * self.scale
        attn = nn.functional.softmax(attn, dim=-1, dtype=torch.float32).to(q.dtype)
        out = torch.matmul(attn, v).transpose(1, 2).reshape(b, q_len, self.embed_dim)
        return self.out_proj(out)


class SiglipMLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.fc1 = nn.Linear(c["hidden_size"], c["intermediate_size"])
        self.fc2 = nn.Linear(c["intermediate_size"], c["hidden_size"])

    def forward(self, x):
        return self.fc2(gelu_pytorch_tanh(self.fc1(x)))


class SiglipEncoderLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self_attn = SiglipAttention(c)
        self.layer_norm1 = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.mlp = SiglipMLP(c)
        self.layer_norm2 = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, h):
        h = h + self.self_attn(self.layer_norm1(h))
        return h + self.mlp(self.layer_norm2(h))


class SiglipEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layers = nn.ModuleList([SiglipEncoderLayer(c) for _ in range(c["num_hidden_layers"])])

    def forward(self, h):
        for layer in self.layers:
            h = layer(h)
        return h


class SiglipTextTransformer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = SiglipTextEmbeddings(c)
        self.encoder = SiglipEncoder(c)
        self.final_layer_norm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.head = nn.Linear(c["hidden_size"], c.get("projection_size", c["hidden_size"]))

    def forward(self, input_ids):
        h = self.encoder(self.embeddings(input_ids))
        last_hidden_state = self.final_layer_norm(h)
        pooled = self.head(last_hidden_state[:, -1, :])  # "sticky" EOS: last position
        return last_hidden_state, pooled


class SiglipMultiheadAttentionPoolingHead(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.probe = nn.Parameter(torch.randn(1, 1, c["hidden_size"]))
        self.attention = nn.MultiheadAttention(c["hidden_size"], c["num_attention_heads"], batch_first=True)
        self.layernorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.mlp = SiglipMLP(c)

    def forward(self, hidden_state):
        probe = self.probe.repeat(hidden_state.shape[0], 1, 1)
        hidden_state = self.attention(probe, hidden_state, hidden_state)[0]
        residual = hidden_state
        hidden_state = residual + self.mlp(self.layernorm(hidden_state))
        return hidden_state[:, 0]


class SiglipVisionTransformer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = SiglipVisionEmbeddings(c)
        self.encoder = SiglipEncoder(c)
        self.post_layernorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.head = SiglipMultiheadAttentionPoolingHead(c)

    def forward(self, pixel_values):
        last_hidden_state = self.post_layernorm(self.encoder(self.embeddings(pixel_values)))
        return last_hidden_state, self.head(last_hidden_state)


class SiglipTextModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.text_model = SiglipTextTransformer(c)

    def forward(self, input_ids):
        return self.text_model(input_ids)


class SiglipVisionModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.vision_model = SiglipVisionTransformer(c)

    def forward(self, pixel_values):
        return self.vision_model(pixel_values)


class SiglipModel(nn.Module):
    def __init__(self, text_config, vision_config):
        super().__init__()
        self.text_model = SiglipTextTransformer(text_config)
        self.vision_model = SiglipVisionTransformer(vision_config)
        self.logit_scale = nn.Parameter(torch.randn(1))
        self.logit_bias = nn.Parameter(torch.randn(1))

    def forward(self, input_ids, pixel_values):
        image_embeds = self.vision_model(pixel_values)[1]
        text_embeds = self.text_model(input_ids)[1]
        image_embeds = image_embeds / image_embeds.norm(p=2, dim=-1, keepdim=True)
        text_embeds = text_embeds / text_embeds.norm(p=2, dim=-1, keepdim=True)
        logits_per_text = torch.matmul(text_embeds, image_embeds.t().to(text_embeds.device)) * self.logit_scale.exp() \
            + self.logit_bias
        logits_per_image = logits_per_text.t()
        return logits_per_image, logits_per_text, text_embeds, image_embeds

# Regenerates this folder: images, expected outputs (*.ref.f32) and manifest.json.
# Run with Debian bookworm's python3-pil (9.4.0) + python3-numpy:  /usr/bin/python3 generate.py [OUT_DIR]
# (OUT_DIR defaults to this file's folder; give another to compare a fresh run with the checked-in files).
# Checked: a fresh run into another folder reproduces every image and *.ref.f32 here byte for byte.
# Every expected output is PIL's own result (HF load_image + the slow image processors) except the ones
# manifest.json marks "reference": "project-formula" (see FORMULA below for which and why).
import numpy as np, io, struct, os, sys, json
from PIL import Image, ImageOps
D=os.path.abspath(sys.argv[1]) if len(sys.argv)>1 else os.path.dirname(os.path.abspath(__file__))
os.makedirs(D,exist_ok=True)
MEAN=[0.48145466,0.4578275,0.40821073]; STD=[0.26862954,0.26130258,0.27577711]
def finish(r, mean=MEAN, std=STD):
    x=(r.astype(np.float64)*0.00392156862745098).astype(np.float32)
    x=(x-np.array(mean,dtype=np.float32))/np.array(std,dtype=np.float32)
    return np.ascontiguousarray(x.transpose(2,0,1)).astype('<f4')
def clip_from_rgb(im, resample=3, size=32, crop=32):
    w,h=im.size
    if w<=h: nw,nh=size,int(size*h/w)
    else: nw,nh=int(size*w/h),size
    r=np.array(im.resize((nw,nh),resample=resample,reducing_gap=None))
    top=(nh-crop)//2; left=(nw-crop)//2
    return finish(r[top:top+crop,left:left+crop])
def load(path):
    im=Image.open(path); im=ImageOps.exif_transpose(im); return im.convert('RGB')
CASES=[]
def save(name, data_bytes, ref, config='clip32', ref_name=None, resample=None):
    ref_name=ref_name or f'{name}.ref.f32'
    open(f'{D}/{name}','wb').write(data_bytes); ref.tofile(f'{D}/{ref_name}')
    case={'image':name,'ref':ref_name,'config':config}
    if resample is not None: case['resample']=resample
    CASES.append(case)
rng=np.random.default_rng(0)
def photo(w,h):
    y,x=np.mgrid[0:h,0:w]
    a=np.stack([(x*255//max(w-1,1)),(y*255//max(h-1,1)),((x+y)*7)%256],-1).astype(np.uint8)
    noise=rng.integers(0,40,(h,w,3),dtype=np.uint8)
    return (a//2+noise*2).astype(np.uint8)
base=Image.fromarray(photo(90,60))
# EXIF orientations 1..8 (JPEG)
for o in range(1,9):
    ex=Image.Exif(); ex[0x0112]=o
    b=io.BytesIO(); base.save(b,'JPEG',quality=90,exif=ex.tobytes()); by=b.getvalue()
    save(f'exif{o}.jpg', by, clip_from_rgb(load(io.BytesIO(by))))
# progressive, grayscale jpeg, 4:4:4
for name,kw,img in [('progressive.jpg',dict(progressive=True,quality=85),base),('gray.jpg',dict(quality=80),base.convert('L')),('q100_444.jpg',dict(quality=100,subsampling=0),base)]:
    b=io.BytesIO(); img.save(b,'JPEG',**kw); by=b.getvalue(); save(name,by,clip_from_rgb(load(io.BytesIO(by))))
# CMYK jpeg: reference = Chromium formula on PIL's (true) CMYK values (project-formula, see FORMULA)
b=io.BytesIO(); base.convert('CMYK').save(b,'JPEG',quality=90); by=b.getvalue()
c=np.array(Image.open(io.BytesIO(by))).astype(np.int64)  # true CMYK
inv=255-c; rgb=(inv[...,:3]*inv[...,3:4]//255).astype(np.uint8)
save('cmyk.jpg',by,clip_from_rgb(Image.fromarray(rgb)))
# PNG orientation via eXIf (PIL writes exif chunk)
ex=Image.Exif(); ex[0x0112]=6
b=io.BytesIO(); base.save(b,'PNG',exif=ex.tobytes()); by=b.getvalue(); save('exif6.png',by,clip_from_rgb(load(io.BytesIO(by))))
# low-bit PNGs
for bits in (1,2,4):
    arr=(rng.integers(0,2**bits,(21,37))).astype(np.uint8)
    im=Image.fromarray((arr*(255//(2**bits-1))).astype(np.uint8))
    b=io.BytesIO(); im.save(b,'PNG',bits=bits); by=b.getvalue()
    save(f'gray{bits}bit.png',by,clip_from_rgb(load(io.BytesIO(by))))
    pim=Image.fromarray(arr,'P'); pim.putpalette(list(rng.integers(0,256,3*2**bits)))
    b=io.BytesIO(); pim.save(b,'PNG',bits=bits); by=b.getvalue()
    save(f'pal{bits}bit.png',by,clip_from_rgb(load(io.BytesIO(by))))
# palette with transparency
pim=base.convert('P',palette=Image.ADAPTIVE,colors=64); b=io.BytesIO(); pim.save(b,'PNG',transparency=3); by=b.getvalue()
save('pal_trns.png',by,clip_from_rgb(load(io.BytesIO(by))))
# 16-bit gray: reference uses round(v*255/65535) (project-formula, see FORMULA)
v=(rng.integers(0,65536,(50,70))).astype(np.uint16)
im=Image.fromarray(v.astype(np.int32),'I').convert('I;16'); b=io.BytesIO(); im.save(b,'PNG'); by=b.getvalue()
chk=np.array(Image.open(io.BytesIO(by))).astype(np.int64); assert (chk==v).all()
g=((v.astype(np.int64)*255+32767)//65535).astype(np.uint8)
save('gray16.png',by,clip_from_rgb(Image.fromarray(g).convert('RGB')))
# upscale tiny, odd shapes, 1x1
for (w,h) in [(3,5),(1,1),(200,9),(32,32),(33,32),(9,200)]:
    im=Image.fromarray(photo(w,h)); b=io.BytesIO(); im.save(b,'PNG'); by=b.getvalue()
    save(f'rgb_{w}x{h}.png',by,clip_from_rgb(load(io.BytesIO(by))))
# other resample filters (same image): one expected output per filter, manifest "resample" says which
big=Image.fromarray(photo(131,97)); b=io.BytesIO(); big.save(b,'PNG'); by=b.getvalue()
for rs in (0,1,2,4,5):
    save('filters_131x97.png',by,clip_from_rgb(big,resample=rs),ref_name=f'filters_131x97.png.resample{rs}.ref.f32',resample=rs)
# BMP variants via PIL save (1,L,P,RGB) + 32-bit handcrafted + top-down handcrafted + 565 bitfields
for mode in ('1','L','P','RGB','RGBA'):
    im=base.convert(mode) if mode!='P' else base.convert('P',palette=Image.ADAPTIVE,colors=16)
    b=io.BytesIO(); im.save(b,'BMP'); by=b.getvalue()
    save(f'bmp_{mode}.bmp',by,clip_from_rgb(load(io.BytesIO(by))))
def bmp(w,h,bpp,rows,comp=0,masks=None,topdown=False):
    hdr=40; extra=b''.join(struct.pack('<I',m) for m in masks) if masks else b''
    off=14+hdr+len(extra); data=b''.join(rows)
    fh=b'BM'+struct.pack('<IHHI',off+len(data),0,0,off)
    ih=struct.pack('<IiiHHIIiiII',hdr,w,-h if topdown else h,1,bpp,comp,len(data),2835,2835,0,0)
    return fh+ih+extra+data
a=photo(63,41); w,h=63,41
def pad(r): return r+b'\0'*((-len(r))%4)
rows32=[pad(bytes(np.concatenate([a[y][:,::-1],np.full((w,1),7,np.uint8)],1).tobytes())) for y in range(h)]
by=bmp(w,h,32,rows32[::-1]); save('bmp32.bmp',by,clip_from_rgb(load(io.BytesIO(by))))
rows24=[pad(bytes(a[y][:,::-1].tobytes())) for y in range(h)]
by=bmp(w,h,24,rows24,topdown=True); save('bmp24_topdown.bmp',by,clip_from_rgb(load(io.BytesIO(by))))
p565=((a[...,0].astype(np.uint16)>>3)<<11)|((a[...,1].astype(np.uint16)>>2)<<5)|(a[...,2].astype(np.uint16)>>3)
rows16=[pad(p565[y].astype('<u2').tobytes()) for y in range(h)]
by=bmp(w,h,16,rows16[::-1],comp=3,masks=[0xf800,0x07e0,0x001f]); save('bmp565.bmp',by,clip_from_rgb(load(io.BytesIO(by))))
# webp lossless / lossy via PIL
for name,kw in [('lossless.webp',dict(lossless=True)),('lossy.webp',dict(quality=80))]:
    b=io.BytesIO(); base.save(b,'WEBP',**kw); by=b.getvalue(); save(name,by,clip_from_rgb(load(io.BytesIO(by))))
# GIF (no transparency): palette colours
gim=base.convert('P',palette=Image.ADAPTIVE,colors=128); b=io.BytesIO(); gim.save(b,'GIF'); by=b.getvalue()
save('plain.gif',by,clip_from_rgb(load(io.BytesIO(by))))
# CLIPSeg-style exact resize bilinear on odd image
im=Image.fromarray(photo(43,71)); b=io.BytesIO(); im.save(b,'PNG'); by=b.getvalue()
r=np.array(im.resize((40,40),resample=2,reducing_gap=None)); save('vit_43x71.png',by,finish(r,[0.485,0.456,0.406],[0.229,0.224,0.225]),config='vit40')
# Expected outputs that are NOT PIL's own output but the project's documented formula, and why.
FORMULA={
 'gray16.png':'16-bit samples to 8 bits by round(v*255/65535) (libpng png_set_scale_16; src/data/png.ts), applied to PIL\'s 16-bit '
  'samples. PIL 9.4 convert(\'RGB\') clamps 16-bit gray to 255 (99% of this image turns white, up to 254 levels off), '
  'a quirk the project does not follow (issue 3: follow browsers).',
 'cmyk.jpg':'Chromium\'s CMYK to RGB, R = (255-C)*(255-K)/255 truncated (src/data/decode-common.ts cmykToRgb), applied to PIL\'s CMYK '
  'samples. PIL 9.4 convert(\'RGB\') rounds the same product instead (up to 1 level apart). This file has no black ink (K = 0, as PIL\'s '
  'convert(\'CMYK\') writes), where both formulas agree: its expected output equals PIL\'s own bit for bit, so it checks the '
  'CMYK path but does not tell the two formulas apart.',
}
for c in CASES:
    if c['image'] in FORMULA: c['reference']='project-formula'; c['why']=FORMULA[c['image']]
    else: c['reference']='pil'
assert sorted(FORMULA)==sorted({c['image'] for c in CASES if c['reference']=='project-formula'})
CASES.sort(key=lambda c:(c['image'],c['ref']))
manifest={
 'source':'Generated by generate.py (this folder) with PIL 9.4.0 + numpy (Debian python3-pil) replicating Hugging Face load_image + '
  'slow CLIPImageProcessor/ViTImageProcessor at small sizes (clip32: shortest_edge 32, crop 32, bicubic, CLIP mean/std; '
  'vit40: 40x40 bilinear, ImageNet mean/std).',
 'reference':'Per case: "pil" = the expected output is PIL\'s own result; "project-formula" = the project\'s documented '
  'formula applied to PIL\'s decoded samples, where the project deliberately differs from PIL (issue 3); "why" says which formula and why.',
 'cases':CASES,
}
with open(f'{D}/manifest.json','w') as f: json.dump(manifest,f,indent=1,ensure_ascii=False); f.write('\n')
print('ok', len(CASES), 'cases in', D)

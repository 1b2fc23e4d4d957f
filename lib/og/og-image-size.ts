/** The Open Graph image size every preview service accepts (1.91:1). */
export const OG_IMAGE_SIZE = { width: 1200, height: 630 } as const;

/** Realistic and adversarial documents shared by the Markdown tests. */
import { generateDesignDoc } from "@/bench/render/generate-doc";

const listsAndQuotes = `# Rate Limiter Design

Intro paragraph with **bold**, _emphasis_, \`inline code\` and a [link](https://example.com).

## 1. Requirements

- Tight list item one
- Tight list item two
  - Nested item
  - Nested item with \`code\`
- Back to top level

1. Loose ordered item

2. Second loose item

   Continuation paragraph of item two.

3. Third item

* Star bullet list
* Another

Paragraph between lists.

- [ ] task not done
- [x] task done

> Quote line one
>
> Quote paragraph two with **bold**

> A separate quote after a blank line

***

Setext Heading
--------------

Another setext
==============

    indented code block
    second line

    still the same indented block after a blank line

10. Ordered list starting at ten
11. Eleven
`;

const codeHeavy = `## 2. API

\`\`\`ts
export async function limit(key: string): Promise<boolean> {
  const count = await redis.incr(key);

  if (count === 1) {
    await redis.expire(key, 60);
  }

  return count <= LIMIT;
}
\`\`\`

~~~python
def handler(event):

    return {"ok": True}
~~~

\`\`\`\`markdown
Here is a fence inside a fence:

\`\`\`js
console.log("inner")
\`\`\`

Still inside the outer fence.
\`\`\`\`

\`\`\`text
+--------+     +--------+
| Client | --> | Server |
+--------+     +--------+

      (diagram continues after a blank line)
\`\`\`

- List item with a fence:

  \`\`\`bash
  npm install

  npm run build
  \`\`\`

- Next item

\`\`\`unknownlang
plain text in an unknown language
\`\`\`

\`\`\`
no info string

at all
\`\`\`
`;

const tablesAndHtml = `## 3. Data Model

| Column | Type | Notes |
|:-------|:----:|------:|
| id | \`uuid\` | primary key |
| tenant | text | **indexed** |

Text right before a table:
| a | b |
|---|---|
| 1 | 2 |

<!-- an HTML comment

spanning blank lines -->

<div class="note">

Markdown inside an HTML block

</div>

<script>
alert("x")

alert("y")
</script>

Final paragraph with a line break  
after two spaces and ~~strikethrough~~.
`;

const definitions = `# Refs

See [the spec][spec] and the footnote[^1].

## Details

More text with [another ref][spec].

[spec]: https://example.com/spec "Spec"

[^1]: The footnote text.

Trailing paragraph.
`;

export const fixtureDocuments: Record<string, string> = {
  listsAndQuotes,
  codeHeavy,
  tablesAndHtml,
  definitions,
  leadingBlankLines: `\n\n# Title\n\nBody\n\n\n\nMore body\n\n`,
  crlf: "# CRLF\r\n\r\nLine one\r\n\r\n- a\r\n- b\r\n\r\n```ts\r\nconst x = 1;\r\n\r\n```\r\n",
  generatedSmall: generateDesignDoc(10, 7).markdown,
  generatedLarge: generateDesignDoc(40, 3).markdown,
};

import { Parser } from 'htmlparser2';

/** A named control of a form: an `input`, a `textarea` (type `textarea`) or a `button` (type `submit` unless it says otherwise). */
export interface HtmlInput {
  name: string;
  type: string;
  value: string;
  /** `disabled` controls are not submitted. */
  disabled: boolean;
  /** For checkboxes and radio buttons: only checked ones are submitted. */
  checked: boolean;
}

export interface HtmlForm {
  /** The raw `action` attribute (`undefined`: the form posts to its own page). */
  action: string | undefined;
  method: string;
  inputs: HtmlInput[];
}

/** What the login flow needs to know about a page: its forms, links, title and (bounded) text. */
export interface HtmlPage {
  forms: HtmlForm[];
  /** `href` of every link, as written. */
  links: string[];
  /** `src` of every `iframe`, as written; absent when the page has none. */
  frames?: string[];
  title: string;
  /** The visible text (not scripts or styles), whitespace folded, at most `MAX_TEXT` characters. */
  text: string;
}

/** Pages come from the network: what they may make us hold is bounded. */
const MAX_TEXT = 16 * 1024;
const MAX_LINKS = 200;

/** Parses a page with a real HTML parser: attribute order, quoting and entities don't matter. */
export function parseHtmlPage(html: string): HtmlPage {
  const page: HtmlPage = { forms: [], links: [], title: '', text: '' };
  let form: HtmlForm | undefined;
  let inTitle = false;
  let hidden = 0;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        // Elements separate words ("<h2>Select an account</h2><p>oauth2-proxy...").
        if (hidden === 0 && page.text.length < MAX_TEXT) page.text += ' ';
        if (name === 'form') {
          form = { action: attributes.action, method: (attributes.method ?? 'get').toLowerCase(), inputs: [] };
          page.forms.push(form);
        } else if ((name === 'input' || name === 'textarea' || name === 'button') && form !== undefined && attributes.name !== undefined) {
          form.inputs.push({
            name: attributes.name,
            type: name === 'input' ? (attributes.type ?? 'text').toLowerCase() : name === 'button' ? (attributes.type ?? 'submit').toLowerCase() : 'textarea',
            value: attributes.value ?? '',
            disabled: 'disabled' in attributes,
            checked: 'checked' in attributes,
          });
        } else if (name === 'a' && attributes.href !== undefined && page.links.length < MAX_LINKS) {
          page.links.push(attributes.href);
        } else if (name === 'iframe' && attributes.src !== undefined && (page.frames?.length ?? 0) < MAX_LINKS) {
          (page.frames ??= []).push(attributes.src);
        } else if (name === 'title') {
          inTitle = true;
        } else if (name === 'script' || name === 'style' || name === 'template') {
          hidden += 1;
        }
      },
      ontext(text) {
        if (inTitle) page.title += text;
        else if (hidden === 0 && page.text.length < MAX_TEXT) page.text += text;
      },
      onclosetag(name) {
        if (name === 'form') form = undefined;
        if (name === 'title') inTitle = false;
        if ((name === 'script' || name === 'style' || name === 'template') && hidden > 0) hidden -= 1;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  page.title = page.title.trim();
  page.text = page.text.replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT);
  return page;
}

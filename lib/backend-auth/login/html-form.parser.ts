import { Parser } from 'htmlparser2';

export interface HtmlInput {
  name: string;
  type: string;
  value: string;
}

export interface HtmlForm {
  /** The raw `action` attribute (`undefined`: the form posts to its own page). */
  action: string | undefined;
  method: string;
  inputs: HtmlInput[];
}

/** What the login flow needs to know about a page: its forms and its title. */
export interface HtmlPage {
  forms: HtmlForm[];
  title: string;
}

/** Parses a page with a real HTML parser: attribute order, quoting and entities don't matter. */
export function parseHtmlPage(html: string): HtmlPage {
  const page: HtmlPage = { forms: [], title: '' };
  let form: HtmlForm | undefined;
  let inTitle = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'form') {
          form = { action: attributes.action, method: (attributes.method ?? 'get').toLowerCase(), inputs: [] };
          page.forms.push(form);
        } else if (name === 'input' && form !== undefined && attributes.name !== undefined) {
          const type = (attributes.type ?? 'text').toLowerCase();
          form.inputs.push({ name: attributes.name, type, value: attributes.value ?? '' });
        } else if (name === 'title') {
          inTitle = true;
        }
      },
      ontext(text) {
        if (inTitle) page.title += text;
      },
      onclosetag(name) {
        if (name === 'form') form = undefined;
        if (name === 'title') inTitle = false;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  page.title = page.title.trim();
  return page;
}

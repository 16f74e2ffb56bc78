"""The Jinja2 templates that lay out the site's blocks (transparency/templates/)."""

from __future__ import annotations

from markupsafe import Markup

from transparency.html import link, paragraph, table


def test_table_escapes_data_lets_our_markup_through_and_stays_on_one_line():
    html = str(table(["Country", "Reports"], [["<script>x</script>", Markup("<b>1</b>")], ["A & B", 2]],
                     caption=Markup("<code>t</code>"), numeric=[1], table_id="t-1", foot=[["Total", 3]]))
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html
    assert '<td class="num"><b>1</b></td>' in html
    assert '<th scope="row">A &amp; B</th>' in html
    assert 'aria-label="t"' in html and '<caption><code>t</code></caption>' in html
    assert '<th scope="col" class="num">Reports</th>' in html
    assert '<tfoot data-search-exclude><tr><th scope="row">Total</th><td class="num">3</td></tr></tfoot>' in html
    assert "\n" not in html  # a blank or indented line would end the raw HTML block in Markdown


def test_paragraph_and_link_escape_their_attributes():
    assert str(paragraph("a < b", 'x"y')) == '<p class="x&#34;y">a &lt; b</p>'
    assert str(paragraph(Markup("<em>a</em>"))) == "<p><em>a</em></p>"
    assert str(link("?a=1&b=2", "next")) == '<a href="?a=1&amp;b=2">next</a>'

#!/usr/bin/python3
"""Opens the HTML report in headless Chromium (Debian's chromium and chromium-driver, driven by
python3-selenium) and checks what tests/render_html_test.cpp asks: no console error, no network
request, the totals and top rows equal to the JSON summary of the same input, the hostile
fixture's strings shown as text with nothing run or injected, no horizontal scrolling of the page
at phone and desktop widths. Saves a screenshot at each width.

Usage: check_html.py REPORT.html SUMMARY.json SCREENSHOT_DIR
Prints "ok" and exits 0, or prints each failure and exits 1."""
import json
import os
import sys

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service

html, summary_path, shots = sys.argv[1:4]
summary = json.load(open(summary_path))
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def grouped(value):
    return f"{value:,}"


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--disable-background-networking", "--disable-sync",
                 "--disable-component-update", "--disable-default-apps"):
    options.add_argument(argument)
options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    url = "file://" + os.path.abspath(html)
    for name, width, height in (("desktop", 1280, 900), ("phone", 390, 844)):
        driver.set_window_size(width, height)
        driver.get(url)
        try:
            alert = driver.switch_to.alert
            failures.append(f"{name}: a dialog opened: {alert.text}")
            alert.dismiss()
        except NoAlertPresentException:
            pass
        page = driver.execute_script("""return {
            scripts: document.scripts.length,
            handlers: document.querySelectorAll('[onerror],[onload],[onmouseover],[onclick]').length,
            images: document.images.length,
            links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
            text: document.body.innerText,
            sessions: document.getElementById('total-sessions')?.textContent,
            failed: document.getElementById('total-failed')?.textContent,
            reports: document.getElementById('total-reports')?.textContent,
            topSender: document.querySelector('#senders-table tbody tr td')?.textContent,
            topSenderSessions: document.querySelector('#senders-table tbody tr td:nth-child(3)')?.textContent,
            verdict: document.getElementById('overall-verdict')?.dataset.verdict,
            bodyVisible: getComputedStyle(document.body).display !== 'none',
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
        };""")
        check(page["scripts"] == 0, f"{name}: {page['scripts']} script elements")
        check(page["handlers"] == 0, f"{name}: {page['handlers']} elements with event handlers")
        check(page["images"] == 0, f"{name}: {page['images']} img elements")
        check(not page["links"], f"{name}: links {page['links']}")
        check(page["bodyVisible"], f"{name}: the body was hidden by injected CSS")
        totals = summary["totals"]
        check(page["sessions"] == grouped(totals["sessions"]),
              f"{name}: sessions {page['sessions']} vs JSON {totals['sessions']}")
        check(page["failed"] == grouped(totals["failed"]),
              f"{name}: failed {page['failed']} vs JSON {totals['failed']}")
        check(page["reports"] == grouped(summary["reports"]),
              f"{name}: reports {page['reports']} vs JSON {summary['reports']}")
        top = summary["senders"][0]
        check(page["topSender"] == (top["organization_name"] or "(not given)"),
              f"{name}: top sender {page['topSender']!r} vs JSON {top['organization_name']!r}")
        check(page["topSenderSessions"] == grouped(top["sessions"]),
              f"{name}: top sender sessions {page['topSenderSessions']} vs {top['sessions']}")
        check(page["verdict"] == summary["check"]["verdict"],
              f"{name}: verdict {page['verdict']} vs JSON {summary['check']['verdict']}")
        hostile_input = any("<script>" in (s["organization_name"] or "") for s in summary["senders"])
        for hostile in ("<script>alert('org')</script>Evil", "<img src=x onerror=alert('type')>",
                        "</style><style>body{display:none}</style>.example"):
            if hostile_input:  # testdata/hostile/html-injection.json is among the inputs
                check(hostile in page["text"], f"{name}: {hostile!r} is not shown as text")
        check(page["scrollWidth"] <= page["innerWidth"] + 1,
              f"{name}: the page scrolls sideways ({page['scrollWidth']} > {page['innerWidth']})")
        driver.save_screenshot(os.path.join(shots, f"report-{name}.png"))
    for entry in driver.get_log("browser"):
        if entry["level"] in ("SEVERE", "WARNING"):
            failures.append(f"console {entry['level']}: {entry['message']}")
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requested = message["params"]["request"]["url"]
            if requested != url:
                failures.append(f"a request left the page: {requested}")
finally:
    driver.quit()
if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")

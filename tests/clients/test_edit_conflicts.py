"""Two people editing one client: a save writes only what its user changed, so a colleague's
change made meanwhile stays; the same field changed by both is a conflict (409) that shows the
form again with the user's changes over the client as it is now."""

import pytest
from django.test import Client as Browser

from clients.models import Client
from tests.factories import ClientFactory
from tests.pages import opened_by, posted_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(department):
    return ClientFactory(
        owner=department.rep_north, name="Polar Foods", phone="+7 495 000-00-00", notes="Buys in spring."
    )


def opened(user, customer):
    return opened_by(user, f"/clients/{customer.pk}/edit/")


def test_a_save_keeps_what_a_colleague_changed_meanwhile(department, customer):
    rep, rep_page = opened(department.rep_north, customer)
    lead, lead_page = opened(department.lead_north, customer)
    saved = rep.post(
        f"/clients/{customer.pk}/edit/", posted_form(rep_page, "client-form", phone="+7 495 111-11-11")
    )
    assert saved.status_code == 302
    saved = lead.post(
        f"/clients/{customer.pk}/edit/", posted_form(lead_page, "client-form", notes="Buys in autumn.")
    )
    assert saved.status_code == 302
    customer.refresh_from_db()
    assert (customer.phone, customer.notes) == ("+7 495 111-11-11", "Buys in autumn.")


def test_the_same_field_changed_by_both_is_a_409_that_keeps_the_users_input(department, customer):
    rep, rep_page = opened(department.rep_north, customer)
    lead, lead_page = opened(department.lead_north, customer)
    rep.post(f"/clients/{customer.pk}/edit/", posted_form(rep_page, "client-form", phone="+7 495 111-11-11"))
    answer = lead.post(
        f"/clients/{customer.pk}/edit/",
        posted_form(lead_page, "client-form", phone="+7 495 222-22-22", notes="Buys in autumn."),
    )
    assert answer.status_code == 409
    page = answer.content.decode()
    assert (
        "Someone else changed “Phone” after you opened this page. Your changes are below, with "
        "everything else as it is now: save again to put yours over theirs."
    ) in page
    assert "Please correct the errors below." not in page  # no field is wrong
    customer.refresh_from_db()
    assert (customer.phone, customer.notes) == ("+7 495 111-11-11", "Buys in spring.")  # nothing written
    # The form shows the lead's two changes; saved again as it is, they go over the rep's.
    form = posted_form(page, "client-form")
    assert (form["phone"], form["notes"], form["initial-phone"]) == (
        "+7 495 222-22-22",
        "Buys in autumn.",
        "+7 495 111-11-11",
    )
    assert lead.post(f"/clients/{customer.pk}/edit/", form).status_code == 302
    customer.refresh_from_db()
    assert (customer.phone, customer.notes) == ("+7 495 222-22-22", "Buys in autumn.")


def test_a_form_without_its_shown_values_saves_as_before(department, customer):
    """A page opened before the form carried what it showed (or a script posting the form)
    saves every field it sends, as it used to."""
    rep, rep_page = opened(department.rep_north, customer)
    form = {
        name: value
        for name, value in posted_form(rep_page, "client-form").items()
        if not name.startswith("initial-")
    }
    Client.objects.filter(pk=customer.pk).update(notes="Changed by someone else.")
    assert rep.post(f"/clients/{customer.pk}/edit/", {**form, "phone": "+7 1"}).status_code == 302
    customer.refresh_from_db()
    assert (customer.phone, customer.notes) == ("+7 1", "Buys in spring.")


def test_a_garbled_shown_value_counts_as_changed_and_is_not_compared(department, customer):
    rep, rep_page = opened(department.rep_north, customer)
    Client.objects.filter(pk=customer.pk).update(tier="A")  # a colleague's change meanwhile
    form = posted_form(
        rep_page, "client-form", **{"initial-industry": "not-an-id", "initial-tier": "Z" * 5000, "tier": "B"}
    )
    assert rep.post(f"/clients/{customer.pk}/edit/", form).status_code == 302
    customer.refresh_from_db()
    assert (customer.tier, customer.industry) == ("B", None)  # written as sent, not compared


def test_the_conflict_reads_in_the_users_language(department, customer):
    rep, rep_page = opened(department.rep_north, customer)
    lead, lead_page = opened(department.lead_north, customer)
    rep.post(f"/clients/{customer.pk}/edit/", posted_form(rep_page, "client-form", phone="+7 1"))
    lead.cookies["django_language"] = "ru"
    answer = lead.post(f"/clients/{customer.pk}/edit/", posted_form(lead_page, "client-form", phone="+7 2"))
    assert answer.status_code == 409
    assert "Кто-то другой изменил «Телефон», пока была открыта эта страница." in answer.content.decode()


def test_contacts_and_tasks_keep_a_colleagues_change_too(department, customer):
    from clients.models import Contact, Task
    from tests.factories import ContactFactory, TaskFactory

    contact = ContactFactory(client=customer, name="Olga Petrova", phone="+7 1", email="olga@example.com")
    task = TaskFactory(client=customer, owner=department.rep_north, title="Call Olga", notes="")
    for url, form_class, mine, theirs, model, label in (
        (
            f"/clients/contacts/{contact.pk}/edit/",
            "narrow-form",
            {"phone": "+7 2"},
            {"email": "o@example.org"},
            Contact,
            "Phone",
        ),
        (
            f"/tasks/{task.pk}/edit/",
            "narrow-form",
            {"title": "Call Olga back"},
            {"notes": "About the price"},
            Task,
            "What",  # the form's label, not the model's "title"
        ),
    ):
        rep, lead = Browser(), Browser()
        rep.force_login(department.rep_north)
        lead.force_login(department.lead_north)
        rep_page, lead_page = rep.get(url).content.decode(), lead.get(url).content.decode()
        assert rep.post(url, posted_form(rep_page, form_class, **mine)).status_code == 302
        assert lead.post(url, posted_form(lead_page, form_class, **theirs)).status_code == 302
        row = model.objects.get(pk=contact.pk if model is Contact else task.pk)
        assert {name: getattr(row, name) for name in (*mine, *theirs)} == {**mine, **theirs}
        # the same field from both: 409, nothing written
        answer = lead.post(url, posted_form(lead_page, form_class, **mine | dict.fromkeys(mine, "x")))
        assert answer.status_code == 409
        assert f"Someone else changed “{label}” after you opened this page." in answer.content.decode()
        row.refresh_from_db()
        assert {name: getattr(row, name) for name in mine} == mine


def test_notes_written_with_plain_line_breaks_edit_like_any_other(department, customer):
    """A browser sends a text area's line breaks as CRLF; notes written by the API or an
    import keep LF. The page showed the same text, so it is no conflict."""
    Client.objects.filter(pk=customer.pk).update(notes="Buys in spring.\nPays late.")
    rep, page = opened(department.rep_north, customer)
    assert posted_form(page, "client-form")["notes"] == "Buys in spring.\r\nPays late."
    assert (
        rep.post(f"/clients/{customer.pk}/edit/", posted_form(page, "client-form", phone="+7 9")).status_code
        == 302
    )
    rep, page = opened(department.rep_north, customer)
    assert (
        rep.post(
            f"/clients/{customer.pk}/edit/", posted_form(page, "client-form", notes="Pays on time.")
        ).status_code
        == 302
    )
    customer.refresh_from_db()
    assert (customer.phone, customer.notes) == ("+7 9", "Pays on time.")


def test_a_task_done_meanwhile_is_the_conflict_page_not_the_form_again(department, customer):
    from clients.models import Task, TaskStatus
    from tests.factories import TaskFactory

    task = TaskFactory(client=customer, owner=department.rep_north, title="Call Olga")
    rep, page = opened_by(department.rep_north, f"/tasks/{task.pk}/edit/")
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.DONE)
    answer = rep.post(f"/tasks/{task.pk}/edit/", posted_form(page, "narrow-form", title="Call Olga back"))
    assert answer.status_code == 409
    body = answer.content.decode()
    assert "This task was already completed or cancelled; reload the page." in body
    assert 'class="card form-card narrow-form"' not in body
    assert Task.objects.get(pk=task.pk).title == "Call Olga"


def test_a_box_or_a_choice_changed_by_both_is_a_conflict_too(department, customer):
    from clients.models import Contact, Task
    from tests.factories import ContactFactory, TaskFactory

    contact = ContactFactory(client=customer, name="Olga Petrova", is_decision_maker=False)
    other = ContactFactory(client=customer, name="Ivan Orlov")
    task = TaskFactory(client=customer, owner=department.rep_north, title="Call", contact=None)
    contact_url, task_url = f"/clients/contacts/{contact.pk}/edit/", f"/tasks/{task.pk}/edit/"
    rep_contact = opened_by(department.rep_north, contact_url)[1]
    rep_task = opened_by(department.rep_north, task_url)
    Contact.objects.filter(pk=contact.pk).update(is_decision_maker=True)  # a colleague ticks it
    Task.objects.filter(pk=task.pk).update(contact=other)  # and names Ivan on the task
    rep = rep_task[0]
    unticked = posted_form(rep_contact, "narrow-form", name="Olga P.")
    assert rep.post(contact_url, unticked).status_code == 302  # the box left alone: theirs stays
    assert Contact.objects.get(pk=contact.pk).is_decision_maker is True
    ticked = posted_form(rep_contact, "narrow-form", is_decision_maker="on")
    answer = rep.post(contact_url, ticked)
    assert answer.status_code == 409  # both changed the box (the first save changed the name only)
    chosen = posted_form(rep_task[1], "narrow-form", contact=str(contact.pk))
    assert rep.post(task_url, chosen).status_code == 409
    assert Task.objects.get(pk=task.pk).contact_id == other.pk


def test_a_logged_activity_keeps_a_colleagues_correction_too(department, customer):
    from clients.models import Activity
    from tests.factories import ActivityFactory

    activity = ActivityFactory(
        client=customer, owner=department.rep_north, outcome="Sent the price list.", duration_minutes=5
    )
    url = f"/clients/activities/{activity.pk}/edit/"
    rep, rep_page = opened_by(department.rep_north, url)
    lead, lead_page = opened_by(department.lead_north, url)
    assert rep.post(url, posted_form(rep_page, "activity-form", duration_minutes="15")).status_code == 302
    assert (
        lead.post(url, posted_form(lead_page, "activity-form", outcome="Sent the prices.")).status_code == 302
    )
    activity.refresh_from_db()
    assert (activity.duration_minutes, activity.outcome) == (15, "Sent the prices.")
    answer = lead.post(url, posted_form(lead_page, "activity-form", duration_minutes="20"))
    assert answer.status_code == 409
    assert Activity.objects.get(pk=activity.pk).duration_minutes == 15


def test_a_done_task_does_not_open_its_edit_form(department, customer):
    from clients.models import Task, TaskStatus
    from tests.factories import TaskFactory

    task = TaskFactory(client=customer, owner=department.rep_north, title="Call Olga")
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.DONE)
    browser = Browser()
    browser.force_login(department.rep_north)
    answer = browser.get(f"/tasks/{task.pk}/edit/", follow=True)
    assert answer.redirect_chain == [(f"/tasks/{task.pk}/", 302)]
    assert "This task is done or cancelled; it no longer changes." in answer.content.decode()
